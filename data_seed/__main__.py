import sys

from data_seed.cli import main

sys.exit(main())
