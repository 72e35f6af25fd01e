import { checkEventSchemasAtAppend } from '../../src/event-sourcing/event-schema';

// Jest setup file: every event a test appends, through any store, must match its type's declared schema.
checkEventSchemasAtAppend();
