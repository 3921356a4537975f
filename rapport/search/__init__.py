"""Full-text history search and the tenant-wide search box."""
