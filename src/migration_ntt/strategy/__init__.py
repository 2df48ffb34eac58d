"""Fred R. David's strategy matrices: IFE, EFE, IE, SPACE, SWOT/TOWS and QSPM, with AHP
weights, Monte Carlo uncertainty and links to the package's evidence.

The matrices per respondent and pooled, and how much a ranking of strategies rests on
judgement noise, for the strategy cycle BP3MI NTT plans through.

The workshop file is read and checked by :mod:`migration_ntt.ingest.workshop`
(:func:`read_workshop`, template :func:`write_template`; re-exported here). This package
computes from its tables; nothing here reads or writes a file, and the evidence links and
the files of a run are made by :mod:`migration_ntt.pipeline.strategy`
(:func:`migration_ntt.analysis.run_strategy`).

* :mod:`.matrices`: IFE, EFE, IE cell, SPACE, TOWS, QSPM, with David's rules checked;
* :mod:`.ahp`: AHP weights, Saaty's consistency ratio, geometric-mean aggregation;
* :mod:`.uncertainty`: the Monte Carlo over respondents and judgement noise.

Pooling: the pooled weight of a factor is the mean of the respondents' weights (so the
pooled weights still sum to 1), the pooled rating the mean rating; pooled totals are
computed from those. A YAML file may carry ``illustrative: true``; every output of such a
workshop says "illustrative".

Examples
--------
>>> from migration_ntt import strategy
>>> workshop = strategy.read_workshop(strategy.ILLUSTRATIVE)
>>> totals = strategy.ife(workshop.factors)
>>> cell, reading = strategy.ie_cell(totals.loc["pooled", "total"],
...                                  strategy.efe(workshop.factors).loc["pooled", "total"])
>>> cell in strategy.IE_READINGS
True
"""

from migration_ntt.ingest.workshop import (
    EXTERNAL,
    ILLUSTRATIVE,
    INTERNAL,
    RATING_RANGE,
    SPACE_RANGE,
    WEIGHT_TOLERANCE,
    Workshop,
    WorkshopError,
    read_workshop,
    write_template,
)
from migration_ntt.strategy.ahp import (
    CR_LIMIT,
    RANDOM_INDEX,
    ahp_aggregate,
    ahp_report,
    ahp_weights,
)
from migration_ntt.strategy.matrices import (
    IE_CELLS,
    IE_READINGS,
    READING_LABELS,
    SPACE_QUADRANTS,
    check_factors,
    efe,
    ie_cell,
    ife,
    pooled_factors,
    qspm,
    space,
    tows,
)
from migration_ntt.strategy.uncertainty import DISTINGUISHABLE, StrategyUncertainty, monte_carlo

__all__ = [
    "CR_LIMIT",
    "DISTINGUISHABLE",
    "EXTERNAL",
    "IE_CELLS",
    "IE_READINGS",
    "ILLUSTRATIVE",
    "INTERNAL",
    "RANDOM_INDEX",
    "RATING_RANGE",
    "READING_LABELS",
    "SPACE_QUADRANTS",
    "SPACE_RANGE",
    "WEIGHT_TOLERANCE",
    "StrategyUncertainty",
    "Workshop",
    "WorkshopError",
    "ahp_aggregate",
    "ahp_report",
    "ahp_weights",
    "check_factors",
    "efe",
    "ie_cell",
    "ife",
    "monte_carlo",
    "pooled_factors",
    "qspm",
    "read_workshop",
    "space",
    "tows",
    "write_template",
]
