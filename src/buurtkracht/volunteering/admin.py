"""No admin for volunteer requests: they hold resident data, and the functional
administrator sees no case content (accounts.roles)."""
