/**
 * The local twins of the Azure adapters (embedded SQLite store, mail, WhatsApp and key files).
 * The composition root imports this module dynamically, only when no Azure service is
 * configured, so the deploy package (`npm run package`) leaves it and its native modules out.
 */
export { FileKeyStore } from './key-material/files';
export { FileMailer } from './mail/files';
export { SqliteDocumentStore } from './document-store/sqlite/sqlite-document-store';
export { FileWhatsAppSender } from './whatsapp/files';
