"""``python -m minigrad.scalar``: train a small MLP on two moons (see `demo`).

``python -m minigrad.scalar gpt`` trains a character GPT on first names
instead (see `gpt`); ``gpt --help`` lists its options.
"""

import sys

if sys.argv[1:2] == ["gpt"]:
    from minigrad.scalar.gpt import main as gpt_main

    raise SystemExit(gpt_main(sys.argv[2:]))

from minigrad.scalar.demo import main

raise SystemExit(main())
