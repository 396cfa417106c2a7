'use client';
import Stripe from 'stripe';

export const stripe = new Stripe('sk_live_51QcX6Uo5vJn5Rl0Tz7Pi2Fq4Hb9Dd8Wc3Sa6Ko0Lu5Vr');
