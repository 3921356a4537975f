"""Custom fields: each tenant's own typed fields on the contact record."""
