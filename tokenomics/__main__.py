"""``python -m tokenomics``: the same command as the installed ``tokenomics`` script (``cli.main``).

The one module of the core package allowed to reach the shell: it only hands over.
"""

import sys

from cli.main import main

sys.exit(main())
