"""``python -m studio.core.export JOB.json``: the fresh process that verifies an export."""

import sys

from studio.core.export.verify import main

sys.exit(main())
