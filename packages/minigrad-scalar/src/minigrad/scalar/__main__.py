"""``python -m minigrad.scalar``: train a small MLP on two moons (see `demo`)."""

from minigrad.scalar.demo import main

raise SystemExit(main())
