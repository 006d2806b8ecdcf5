import sys

from tenantctl.cli import main

sys.exit(main())
