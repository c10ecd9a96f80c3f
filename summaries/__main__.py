import sys

from summaries.worker import main

sys.exit(main())
