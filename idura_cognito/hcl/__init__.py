"""Generated HCL: a self-contained root configuration per environment, rendered with Jinja2."""
