/*
 * The backend of the gateway portal: the Backstage core plugins the suite
 * relies on (catalog, scaffolder, permissions, guest sign-in, Kubernetes) and
 * this suite's own plugins.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleAwsGatewayRepoPickerHosts } from '@gateway-portal/plugin-catalog-backend-module-aws-gateway-templates';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: guest in the dev profile (see app-config.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Events: catalog and scaffolder events reach every replica through the database.
backend.add(import('@backstage/plugin-events-backend'));

// Catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Every NLB Gateway of every cluster as a catalog Resource (awsGateway.catalog).
backend.add(
  import('@gateway-portal/plugin-catalog-backend-module-aws-gateway'),
);
// The templates come from catalog.locations (app-config.yaml); this module
// makes their repository picker offer the hosts allowedRepoUrls allows.
backend.add(catalogModuleAwsGatewayRepoPickerHosts);

// Permissions: the suite's policy (awsGateway.permissions) -- only platform
// teams may run the IAM, EKS and controller actions; with no platformTeams
// configured (the dev profile) it allows everything and warns at startup.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@gateway-portal/plugin-permission-backend-module-aws-gateway-policy'),
);

// Scaffolder, with this suite's actions for IAM, Pod Identity, manifests and GitOps.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@gateway-portal/plugin-scaffolder-backend-module-aws-gateway'),
);

// Kubernetes: its cluster configuration is the one the gateway plugins reuse.
backend.add(import('@backstage/plugin-kubernetes-backend'));

// Gateway status API for the entity card.
backend.add(import('@gateway-portal/plugin-aws-gateway-backend'));

// Signals: live status changes reach the card over a WebSocket; through the
// events backend's database bus they reach viewers of every replica.
backend.add(import('@backstage/plugin-signals-backend'));

// Exposes registered actions (including gateway status) to agents.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
