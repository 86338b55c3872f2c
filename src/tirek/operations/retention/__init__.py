"""Retention: the persons whose retention period has run out, and their anonymisation (`services`), with the
administrator's page (`views`), the API (`api`) and `tirek retention`. It reads and rewrites the records of
every app, so it stands on the top floor."""
