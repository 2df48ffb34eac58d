"""The pipeline: the only layer that loads the defaults (the published panel, the NTT
boundaries, the programme log) and writes the outputs of the chain.

* :mod:`.hotspots`: rates, smoothing and clusters of a count → ``hotspots_<count>_*.csv``;
* :mod:`.models`: the default count models → ``models_<count>_*``;
* :mod:`.evaluations`: programme evaluations → ``evaluation_<count>_<programme>_*``;
* :mod:`.scan`: the kecamatan scan of the user's records → ``scan_<model>_*.csv``;
* :mod:`.strategy`: a strategy workshop with its evidence links → ``strategy*``;
* :mod:`.chain`: one :class:`~.chain.Run` of the whole chain, step by step, and
  :func:`~.chain.run_chain`; the CLI drives the same :class:`~.chain.Run`.

:mod:`migration_ntt.analysis` gathers the names notebooks call.
"""
