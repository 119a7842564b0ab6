/** The demo workspace's admin; the password is printed once on first start (or LOCKSTEP_ADMIN_PASSWORD). */
export const DEMO_ADMIN_EMAIL = 'admin@demo.lockstep.dev';
