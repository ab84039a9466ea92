// The health of a connection right now, under the user's rotation and expiry settings.
import { type Connection } from '../core/connections/connection';
import { connectionHealth, type Health, type HealthPolicy } from '../core/hygiene/health';
import { setting } from './config';

export function currentPolicy(now: Date): HealthPolicy {
  return { now, expiryWarningDays: setting('expiryWarningDays'), rotationDays: setting('rotationDays') };
}

export function currentHealth(connection: Connection, now: Date): Health {
  return connectionHealth(connection, currentPolicy(now));
}
