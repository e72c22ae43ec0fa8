-- Margo devices join the inventory (kind 'margo', named <client-id>/<device-id>): the
-- capabilities their client reported, as the compatibility evaluator reads them.
ALTER TABLE devices ADD COLUMN reported TEXT;
