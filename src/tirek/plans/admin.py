"""Individual plans are not in the admin.

A plan describes a child's development and the family's situation, and every change to it must go through
the services (approval rules, the case timeline, the audit trail): plans are read and written through the
case, by its team and the organisation's managers.
"""
