"""``python -m migration_ntt.cli``: the ``migration-ntt`` command."""

from migration_ntt.cli import main

raise SystemExit(main())
