import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.js';

/**
 * With DATABASE_URL set, migrate one template database per run; every test file then gets its own
 * copy (CREATE DATABASE … TEMPLATE), so runs and parallel files never see each other's rows.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  // One template per project (vitest projects run their global set-up each); every test database is
  // named after its template, so a project's teardown drops only its own.
  const template = `folkreg_tpl_${process.pid}_${Date.now().toString(36)}_${project.name.replace(/\W/g, '_')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${template}`);
  const database = await openDatabase({ url: withDatabase(url, template), maxConnections: 2 });
  await database.migrate();
  await database.close();
  project.provide('templateDatabase', template);
  return async () => {
    const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${template + '%'}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    await admin.end();
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string | undefined;
  }
}
