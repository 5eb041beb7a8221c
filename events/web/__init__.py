"""The web layer: pages, forms, tables and filters over the domain."""
