-- Set when the device's own record says another Commissioner installation deployed over this
-- deployment since (JSON: {owner: {installation, engineer, host}, deployedAt, revision});
-- cleared when this installation deploys it again.
ALTER TABLE deployments ADD COLUMN taken_over TEXT;
