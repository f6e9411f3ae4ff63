"""The small library every service of the union social worker platform uses."""
