import { app } from '@azure/functions';
import { getConfig } from '../shared/config';
import { createAppLogger } from '../shared/observability/app-logger';
import { identity } from '../shared/composition';

// The first admin: from ADMIN_EMAIL / ADMIN_PASSWORD when no admin exists yet. Nobody becomes
// admin by registering; after this, admins grant roles (PATCH /api/v1/admin/users/{id}).
app.hook.appStart(async () => {
  const admin = getConfig().identity.admin;
  if (!admin) return;
  const outcome = await (await identity()).service.ensureAdmin(admin.email, admin.password, true);
  createAppLogger().info('Admin bootstrap', { outcome });
});
