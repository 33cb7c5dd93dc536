"""Run the kypho-aid command line: ``python -m kypho_aid --help``."""

import sys

from kypho_aid.cli import main

sys.exit(main())
