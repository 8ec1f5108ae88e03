"""The web app: Starlette pages (Jinja2) and the JSON API; knows HTTP, nothing else."""
