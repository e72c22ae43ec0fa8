-- Margo devices are recorded once, in the inventory (devices.reported, since 0005): the
-- separate copy of their capabilities is dropped.
DROP TABLE margo_devices;
