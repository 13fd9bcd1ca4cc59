"""What payments do when something happens below: connected in ``PaymentsConfig.ready``."""
