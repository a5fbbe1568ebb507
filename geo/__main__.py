from geo.commands.main import main

raise SystemExit(main())
