"""Settings: the clinic's own set-up pages, for managers and owners.

Every page here is an interface: it reads through queries and writes through the
services of the app that owns the thing (clinics, scheduling, treatments, consents,
accounts), so a rule checked there holds here too, and each change leaves an audit row.
"""
