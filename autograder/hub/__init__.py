"""A course's JupyterHub on this machine: `python -m autograder hub` (install.py sets it up, jupyterhub_config.py is
the hub's configuration, accounts.py and exchange_folders.py the accounts and the exchange it needs)."""
