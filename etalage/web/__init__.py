"""The web app: HTML pages (Jinja2 + htmx, NL Design System look) and the JSON API."""
