export { AiTrustCard } from './components/ai-trust-card.js';
