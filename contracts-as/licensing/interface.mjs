// licensing messages and query responses: the source of the JSON Schemas in schema/ and of the typed
// client client/src/contracts/licensing.ts (`make schemas`). Behaviour: README.md; code: assembly/.
// Examples run in order, in-process, in contracts-as/schemas.test.ts, after `setup` (model-nft's mint
// examples): `sender` signs (default CREATOR, the models' owner), `funds` are attached.
import { Addr, Timestamp, Uint128, array, bool, contract, def, ex, msg, opt, paging, strEnum, string, struct, tagged, u32, u64, variant } from "../schema/dsl.mjs";
import { BASE_MODEL, BUYER, CREATOR, DEPLOYER, FINE_TUNE, METER, MODEL_NFT, OTHER } from "../schema/examples.mjs";
import modelNft from "../model-nft/interface.mjs";

const usoa = (n) => [{ denom: "usoa", amount: String(n) }];

// ------------------------------------------------------------------------------------------------
// Types

const LicenseKind = def("LicenseKind", strEnum(["perpetual", "subscription", "metered"]), "The kind of a licence offer.");

const OfferPrice = def(
  "OfferPrice",
  tagged("kind", {
    perpetual: struct({ price: { type: Uint128, doc: "One payment, > 0." } }),
    subscription: struct({
      price_per_period: { type: Uint128, doc: "> 0; buyers pay a whole number of periods." },
      period_seconds: { type: u64(), doc: "Block time per period, 1 … 18446744073." },
    }),
    metered: struct({
      price_per_call: { type: opt(Uint128), doc: "Cost of one unit (call); exactly one of the two prices is set." },
      price_per_1k_units: { type: opt(Uint128), doc: "Cost of 1000 units (charged as ceil(units · price / 1000))." },
      min_deposit: { type: Uint128, doc: "Smallest first deposit of credits." },
    }),
  }),
  "The price of an offer, internally tagged by `kind`.",
);

const Derivatives = def(
  "Derivatives",
  struct({
    allowed: { type: bool(), doc: "Whether licensees may publish derivative models." },
    parent_royalty_bps: { type: u32(), doc: "Royalty derivatives owe this model (≤ 10000)." },
  }),
);

const terms = {
  commercial: { type: bool(), doc: "Commercial use allowed." },
  derivatives: { type: opt(Derivatives), doc: "Derivative terms; null = not specified." },
  transferable: { type: bool(), doc: "Licences bought from this offer can be transferred (transfer_license)." },
};

const Royalty = def("Royalty", struct({ token_id: { type: string(), doc: "A direct parent of the model." }, bps: { type: u32(), doc: "Its manifest royalty_bps at publication." } }));

const Offer = def(
  "Offer",
  struct({
    model: string(),
    offer: OfferPrice,
    ...terms,
    royalties: { type: array(Royalty), doc: "The parents' shares paid on every payment (their current owners)." },
    publisher: Addr,
    published_at: Timestamp,
  }),
  "A published offer.",
);

const grantTerms = { commercial: terms.commercial, derivatives: terms.derivatives, transferable: terms.transferable };
const PerpetualGrant = def("PerpetualGrant", struct({ price_paid: Uint128, purchased_at: Timestamp, ...grantTerms }));
const SubscriptionGrant = def("SubscriptionGrant", struct({ expires_at: { type: Timestamp, doc: "Active while block time < expires_at." }, ...grantTerms }));
const MeteredGrant = def(
  "MeteredGrant",
  struct({ credits: { type: Uint128, doc: "Prepaid credits held by the contract." }, spent: { type: Uint128, doc: "Total charged so far." }, ...grantTerms }),
);
const License = def(
  "License",
  struct({ model: string(), user: Addr, perpetual: opt(PerpetualGrant), subscription: opt(SubscriptionGrant), metered: opt(MeteredGrant) }),
  "Everything one user holds for one model (all null if nothing).",
);

const Config = def(
  "Config",
  struct({
    nft_contract: Addr,
    protocol_fee_bps: u32(),
    protocol_fee_recipient: { type: opt(Addr), doc: "No protocol fee is taken without a recipient." },
    denom: string(),
  }),
);
const OffersResponse = def("OffersResponse", struct({ offers: { type: array(Offer), doc: "perpetual, subscription, metered order; only existing ones" } }));
const LicensesResponse = def("LicensesResponse", struct({ licenses: array(License) }));
const MetersResponse = def("MetersResponse", struct({ meters: { type: array(Addr), doc: "The active meters (added by the model's current owner)." } }));
const CheckAccessResponse = def(
  "CheckAccessResponse",
  struct({
    allowed: bool(),
    kind: { type: opt(LicenseKind), doc: "The licence granting access now (perpetual, then subscription, then metered)." },
    expires_at: { type: opt(Timestamp), doc: "The user's subscription expiry (unless the kind is perpetual)." },
    credits: { type: Uint128, doc: "The user's prepaid credits." },
    price: { type: opt(Uint128), doc: "Cost of one call / one unit under the current metered offer." },
  }),
);

const usage = struct({ model: string(), user: { type: string(), doc: "The licensee whose credits pay." }, units: { type: Uint128, doc: "> 0" } });

// ------------------------------------------------------------------------------------------------
// Messages

export default contract({
  name: "licensing",
  title: "Licensing",
  contract: "crates.io:soa-licensing",
  version: "0.1.0",
  defaultSender: CREATOR,
  /** model-nft messages run before the examples (schemas.test.ts). */
  setup: modelNft.execute.mint.examples.map((e) => ({ contract: "model-nft", example: e })),

  instantiate: msg(
    struct({
      nft_contract: { type: string(), doc: "The model-nft collection." },
      protocol_fee_bps: { type: u32(), doc: "Protocol fee on every payment (≤ 1000)." },
      protocol_fee_recipient: { type: opt(string()), doc: "Receives the protocol fee; null = no fee." },
      denom: { type: string(), doc: "The payment denom." },
    }),
    {
      doc: "Licence offers for the models of one model-nft collection. No funds.",
      examples: [
        ex({ nft_contract: MODEL_NFT, protocol_fee_bps: 200, protocol_fee_recipient: DEPLOYER, denom: "usoa" }, { sender: DEPLOYER }),
        ex({ nft_contract: MODEL_NFT, protocol_fee_bps: 0, protocol_fee_recipient: null, denom: "usoa" }, { sender: DEPLOYER }),
      ],
    },
  ),

  executeDoc: "licensing execute messages.",
  execute: {
    publish_offer: variant(
      struct({ model: { type: string(), doc: "Token id of the model (the sender must own it now)." }, offer: OfferPrice, ...terms }),
      {
        doc: "Publish (or replace) the model's offer of `offer.kind`. The model's current owner only.",
        examples: [
          { publish_offer: { model: FINE_TUNE, offer: { kind: "perpetual", price: "5000000" }, commercial: true, derivatives: { allowed: true, parent_royalty_bps: 500 }, transferable: true } },
          { publish_offer: { model: FINE_TUNE, offer: { kind: "subscription", price_per_period: "1000000", period_seconds: 2592000 }, commercial: true, derivatives: null, transferable: false } },
          { publish_offer: { model: FINE_TUNE, offer: { kind: "metered", price_per_call: "1000", price_per_1k_units: null, min_deposit: "100000" }, commercial: false, derivatives: null, transferable: true } },
          { publish_offer: { model: BASE_MODEL, offer: { kind: "metered", price_per_1k_units: "250", min_deposit: "10000" }, commercial: true, derivatives: null, transferable: false } },
        ],
      },
    ),
    withdraw_offer: variant(struct({ model: string(), kind: LicenseKind }), {
      doc: "Withdraw an offer (licences already sold are unaffected). The model's current owner only.",
      examples: [{ withdraw_offer: { model: BASE_MODEL, kind: "metered" } }],
    }),
    buy_license: variant(struct({ model: string(), kind: LicenseKind }), {
      doc: "Buy a perpetual licence (funds = exactly the price) or subscription periods (funds = n · price_per_period). Metered: deposit_credits.",
      funds: true,
      examples: [
        ex({ buy_license: { model: FINE_TUNE, kind: "perpetual" } }, { sender: BUYER, funds: usoa(5000000) }),
        ex({ buy_license: { model: FINE_TUNE, kind: "subscription" } }, { sender: BUYER, funds: usoa(2000000) }),
      ],
    }),
    deposit_credits: variant(struct({ model: string() }), {
      doc: "Prepay credits for the model's metered offer (the first deposit ≥ min_deposit).",
      funds: true,
      examples: [ex({ deposit_credits: { model: FINE_TUNE } }, { sender: BUYER, funds: usoa(500000) })],
    }),
    withdraw_credits: variant(struct({ model: string(), amount: { type: opt(Uint128), doc: "null = everything" } }), {
      doc: "Take unused credits back.",
      examples: [ex({ withdraw_credits: { model: FINE_TUNE, amount: "100000" } }, { sender: BUYER })],
    }),
    add_meter: variant(struct({ model: string(), meter: string() }), {
      doc: "Authorise a meter to charge usage of the model (≤ 32). The model's current owner only.",
      examples: [{ add_meter: { model: FINE_TUNE, meter: METER } }, { add_meter: { model: FINE_TUNE, meter: OTHER } }],
    }),
    remove_meter: variant(struct({ model: string(), meter: string() }), {
      doc: "Remove a meter. The model's current owner only.",
      examples: [{ remove_meter: { model: FINE_TUNE, meter: OTHER } }],
    }),
    charge_usage: variant(usage, {
      doc: "Charge metered usage to the user's credits and pay the split at once. An active meter of the model only.",
      examples: [ex({ charge_usage: { model: FINE_TUNE, user: BUYER, units: "3" } }, { sender: METER })],
    }),
    transfer_license: variant(struct({ model: string(), kind: LicenseKind, to: string() }), {
      doc: "Give a licence bought from a transferable offer to another address.",
      examples: [ex({ transfer_license: { model: FINE_TUNE, kind: "perpetual", to: OTHER } }, { sender: BUYER })],
    }),
  },

  sudoDoc: "licensing sudo messages (the chain's inference module).",
  sudo: {
    settle_usage: variant(usage, {
      doc: "Like charge_usage, by the chain instead of a meter.",
      examples: [{ settle_usage: { model: FINE_TUNE, user: BUYER, units: "2" } }],
    }),
  },

  migrate: msg(struct({}), { doc: "Same contract name only (cw2); records the new version.", examples: [ex({}, { sender: DEPLOYER })] }),

  queryDoc: "licensing queries.",
  query: {
    config: variant(struct({}), { returns: Config, examples: [{ config: {} }] }),
    offers: variant(struct({ model: string() }), { doc: "The model's offers.", returns: OffersResponse, examples: [{ offers: { model: FINE_TUNE } }] }),
    license: variant(struct({ model: string(), user: string() }), {
      doc: "What `user` holds for `model`.",
      returns: License,
      examples: [{ license: { model: FINE_TUNE, user: BUYER } }],
    }),
    licenses_by_user: variant(struct({ user: string(), ...paging("Model token id to start after") }), {
      doc: "All licences of `user`, by model id.",
      returns: LicensesResponse,
      examples: [{ licenses_by_user: { user: BUYER, start_after: null, limit: 10 } }],
    }),
    meters: variant(struct({ model: string() }), { doc: "The model's active meters.", returns: MetersResponse, examples: [{ meters: { model: FINE_TUNE } }] }),
    check_access: variant(struct({ model: string(), user: string() }), {
      doc: "Whether `user` may use `model` now, and under which licence.",
      returns: CheckAccessResponse,
      examples: [{ check_access: { model: FINE_TUNE, user: BUYER } }, { check_access: { model: FINE_TUNE, user: OTHER } }],
    }),
  },
});
