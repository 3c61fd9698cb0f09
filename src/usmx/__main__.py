from usmx.cli import main

raise SystemExit(main())
