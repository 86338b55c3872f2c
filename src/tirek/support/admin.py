"""Appeals, material aid and outcomes are casework with personal data: they are written through the services
(with their history and audit trail) and read on the organisation's own pages, never in the Django admin,
which is for reference data and accounts."""
