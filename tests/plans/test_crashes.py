"""kill -9 at random moments of bulk and PATCH applies, then resume: every run reconciled against
the emulator's write counts (the full 20+ run version is ``python -m bench crashes``)."""

from bench import crashes


def test_killed_applies_resume_with_nothing_lost_written_twice_or_created_twice():
    figures = crashes.run(runs=8, seed=3)
    assert figures["killed_mid_apply"] >= 4, figures  # the kills really landed mid-apply
    failures = [r for r in figures["per_run"]
                if r["lost"] or r["written_twice"] or r["duplicate_creates"] or r["not_applied"]]
    assert failures == []
    assert (figures["lost"], figures["written_twice"], figures["duplicate_creates"]) == (0, 0, 0)
