import sys

from tokenomics.cli import main

sys.exit(main())
