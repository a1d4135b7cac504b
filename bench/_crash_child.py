"""The apply that ``bench crashes`` kills: ``python -m bench._crash_child BASE_URL TOKEN PLAN METHOD CHUNK``.

It applies a validated plan file against an emulator (the journal goes to ``$PINTOOLS_JOURNAL_DIR``)
and is meant to be killed with SIGKILL at a random moment."""

import sys

import pintools as pt
from pintools.polling import PollPolicy


def main() -> None:
    base_url, token, plan_path, method, chunk = sys.argv[1:6]
    client = pt.connect(token, base_url=base_url, rate_limits={"ads_write": None, "ads_read": None,
                                                               "universal": None})
    plan = pt.EditPlan.read(plan_path)
    plan.apply(client, method=method, chunk_size=int(chunk), progress=False,
               poll=PollPolicy(first=0.05, factor=1.5, longest=0.2, timeout=120))


if __name__ == "__main__":
    main()
