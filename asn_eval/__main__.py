"""Run the command-line interface: ``python -m asn_eval``."""

from asn_eval.cli import main

raise SystemExit(main())
