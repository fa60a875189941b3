import { getConfig } from '../shared/config';

// Fail fast: a missing or bad setting stops the app from loading, with one message naming every
// bad setting, in Azure and in the local host alike. (Entry files load in name order; this is first.)
getConfig();
