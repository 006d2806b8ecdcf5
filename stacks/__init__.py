"""The Pulumi program (``__main__.py``) and its stacks: ``org`` and one ``<tenant>-<env>`` stack per
tenant."""
