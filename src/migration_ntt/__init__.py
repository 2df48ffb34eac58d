"""migration-ntt: evidence on non-procedural migrant workers (PMI) from Nusa Tenggara Timur.

Clean case records and published tallies by regency, map hotspots with archipelago-aware
spatial statistics, relate them to economic, education and enforcement factors, and export
bilingual (Bahasa Indonesia / English) figures and a policy brief.

Importing the package is cheap: heavy libraries (geopandas, statsmodels, folium) are
imported by the sub-modules that need them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("migration-ntt")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
