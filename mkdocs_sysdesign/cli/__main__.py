"""``python -m mkdocs_sysdesign.cli``: the same as the ``mkdocs-sysdesign`` command."""

import sys

from . import main

sys.exit(main())
