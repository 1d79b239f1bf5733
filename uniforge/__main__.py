from uniforge.cli.main import main

raise SystemExit(main())
