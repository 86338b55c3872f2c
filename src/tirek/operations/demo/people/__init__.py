"""Demo persons for `tirek demo`: about 300 fictional children, parents, care leavers and families.

Everything is written through the services, acted by a manager of each organisation, so the demo data has
the audit trail, case numbers, timelines and checks (IIN, eligibility, consent) of data entered by hand.
The plan is drawn from `random.Random(seed)` with dates counted back from today. Every person gets an
external reference DEMO-0001… in the organisation that registered them; a household whose first person
already has its reference is skipped, so running the demo again adds nothing.
"""

from __future__ import annotations

from tirek.operations.demo.people.writing import demo_counts, load_demo_people

__all__ = ["demo_counts", "load_demo_people"]
