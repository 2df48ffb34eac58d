"""Figures: bilingual labels, house style, maps, charts, interactive maps, export."""
