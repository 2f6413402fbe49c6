"""``python -m mkdocs_sysdesign``: the same as the ``mkdocs-sysdesign`` command."""

import sys

from .cli import main

sys.exit(main())
