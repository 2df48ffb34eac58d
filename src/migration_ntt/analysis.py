"""The names a notebook calls, in one place: the chain and its steps, for **any count
column** of the panel.

This module holds no logic: each name lives in the layer that owns it (``pipeline/`` for
the steps that load defaults and write outputs, ``viz/`` for the figures, the methods for
the results). See the README, "Architecture".

Examples
--------
>>> from migration_ntt import analysis, panel
>>> table = panel.build_panel(write=False)
>>> result = analysis.run_hotspots(table, count="pmi_deaths_abroad", permutations=99,
...                                write=False)
>>> result.count, result.labels["en"]
('pmi_deaths_abroad', 'PMI deaths abroad')
"""

from migration_ntt.coverage import coverage_gaps, programme_overview
from migration_ntt.panel import count_metadata, records_credit
from migration_ntt.pipeline.chain import ChainResult, Run, run_chain
from migration_ntt.pipeline.evaluations import (
    EVALUATED_PROGRAMMES,
    evaluate,
    evaluation_figures,
    evaluation_maps,
    run_evaluations,
    write_evaluation,
)
from migration_ntt.pipeline.hotspots import COUNT, run_hotspots, write_hotspots
from migration_ntt.pipeline.models import (
    model_charts,
    model_figures,
    run_models,
    write_model_tables,
)
from migration_ntt.pipeline.scan import district_scan, write_scan
from migration_ntt.pipeline.strategy import StrategyResult, evidence_table, run_strategy
from migration_ntt.results import DistrictScan, HotspotResult, pooled_summary
from migration_ntt.spatial.regency_hotspots import hotspot_analysis, rate_table
from migration_ntt.spatial.weights import DEFAULT_ISLAND_POLICY as ISLAND_POLICY
from migration_ntt.viz.hotspot_figures import MAP_FILES, hotspot_figures, hotspot_maps
from migration_ntt.viz.model_figures import MODEL_FILES
from migration_ntt.viz.scan_figures import scan_figures, scan_maps

__all__ = [
    "COUNT",
    "EVALUATED_PROGRAMMES",
    "ISLAND_POLICY",
    "MAP_FILES",
    "MODEL_FILES",
    "ChainResult",
    "DistrictScan",
    "HotspotResult",
    "Run",
    "StrategyResult",
    "count_metadata",
    "coverage_gaps",
    "district_scan",
    "evaluate",
    "evaluation_figures",
    "evaluation_maps",
    "evidence_table",
    "hotspot_analysis",
    "hotspot_figures",
    "hotspot_maps",
    "model_charts",
    "model_figures",
    "pooled_summary",
    "programme_overview",
    "rate_table",
    "records_credit",
    "run_chain",
    "run_evaluations",
    "run_hotspots",
    "run_models",
    "run_strategy",
    "scan_figures",
    "scan_maps",
    "write_evaluation",
    "write_hotspots",
    "write_model_tables",
    "write_scan",
]
