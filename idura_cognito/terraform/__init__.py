"""Terraform itself: the one runner (``runner.py``), what it runs with (``environment.py``), and what a plan says
(``plan_summary.py``: counts, replacements, Idura's pending work; ``plan_review.py``: is the plan to apply the one
reviewed; ``orphans.py``: what a plan would create that exists outside the state)."""
