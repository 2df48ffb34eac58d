"""Spatial statistics that respect an archipelago: rates, weights, hotspots."""
