"""Reports: view data, masking, and one renderer per format over the Jinja2 templates in reports/."""
