--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;


--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';


--
-- Name: audit_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
           RAISE EXCEPTION 'the audit log is append-only'
               USING ERRCODE = 'restrict_violation';
       END $$;


--
-- Name: consents_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.consents_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
           IF TG_OP = 'DELETE' AND current_setting('needlepoint.purging', true) = 'on' THEN
               RETURN OLD;
           END IF;
           RAISE EXCEPTION 'consent records are never changed or deleted (%)', TG_TABLE_NAME
               USING ERRCODE = 'restrict_violation';
       END $$;


--
-- Name: scheduling_setup_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.scheduling_setup_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
        BEGIN INSERT INTO scheduling_setuptoken (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text)) ON CONFLICT (id) DO UPDATE SET token = excluded.token; RETURN NULL; END $$;


--
-- Name: treatments_cartridge_single_use(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.treatments_cartridge_single_use() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
           IF OLD.session_id IS NOT NULL AND NEW.session_id IS DISTINCT FROM OLD.session_id THEN
               RAISE EXCEPTION 'a used cartridge stays with its session'
                   USING ERRCODE = 'restrict_violation';
           END IF;
           RETURN NEW;
       END $$;


--
-- Name: treatments_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.treatments_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
           BEGIN
               IF TG_OP = 'DELETE' AND current_setting('needlepoint.purging', true) = 'on' THEN RETURN OLD; END IF;
               RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME
                   USING ERRCODE = 'restrict_violation';
           END $$;


--
-- Name: treatments_refuse_locked_child(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.treatments_refuse_locked_child() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
           BEGIN
               IF TG_OP = 'DELETE' AND current_setting('needlepoint.purging', true) = 'on' THEN RETURN OLD; END IF;
               IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM treatments_treatmentsession
                       WHERE id = OLD.session_id AND status = 'completed')
                  OR TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM treatments_treatmentsession
                       WHERE id = NEW.session_id AND status = 'completed') THEN
                   RAISE EXCEPTION 'signed charts are never changed; write an addendum' USING ERRCODE = 'restrict_violation';
               END IF;
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
               RETURN NEW;
           END $$;


--
-- Name: treatments_refuse_locked_session(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.treatments_refuse_locked_session() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
           BEGIN
               IF TG_OP = 'DELETE' AND current_setting('needlepoint.purging', true) = 'on' THEN RETURN OLD; END IF;
               IF OLD.status = 'completed' THEN
                   RAISE EXCEPTION 'signed charts are never changed; write an addendum' USING ERRCODE = 'restrict_violation';
               END IF;
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
               RETURN NEW;
           END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: accounts_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.accounts_user (
    id bigint NOT NULL,
    password character varying(128) NOT NULL,
    last_login timestamp with time zone,
    is_superuser boolean NOT NULL,
    email character varying(254) NOT NULL,
    full_name character varying(150) NOT NULL,
    is_active boolean NOT NULL,
    is_staff boolean NOT NULL,
    date_joined timestamp with time zone NOT NULL
);


--
-- Name: accounts_user_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.accounts_user_groups (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    group_id integer NOT NULL
);


--
-- Name: accounts_user_groups_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.accounts_user_groups ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.accounts_user_groups_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: accounts_user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.accounts_user ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.accounts_user_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: accounts_user_user_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.accounts_user_user_permissions (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    permission_id integer NOT NULL
);


--
-- Name: accounts_user_user_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.accounts_user_user_permissions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.accounts_user_user_permissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: api_apitoken; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_apitoken (
    id bigint NOT NULL,
    public_id uuid NOT NULL,
    name character varying(100) NOT NULL,
    prefix character varying(16) NOT NULL,
    secret_sha256 character varying(64) NOT NULL,
    scopes jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    user_id bigint NOT NULL,
    expires_at timestamp with time zone
);


--
-- Name: api_apitoken_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.api_apitoken ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.api_apitoken_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: api_idempotencykey; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_idempotencykey (
    id bigint NOT NULL,
    key character varying(255) NOT NULL,
    request_sha256 character varying(64) NOT NULL,
    status smallint NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    organisation_id bigint NOT NULL,
    token_id bigint NOT NULL,
    CONSTRAINT api_idempotencykey_status_check CHECK ((status >= 0))
);


--
-- Name: api_idempotencykey_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.api_idempotencykey ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.api_idempotencykey_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: audit_auditevent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_auditevent (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(254) NOT NULL,
    role character varying(16) NOT NULL,
    action character varying(16) NOT NULL,
    target character varying(16) NOT NULL,
    target_id character varying(64) NOT NULL,
    ip inet,
    path character varying(300) NOT NULL,
    reason text NOT NULL,
    detail jsonb NOT NULL,
    client_id bigint,
    organisation_id bigint,
    user_id bigint
);


--
-- Name: audit_auditevent_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_auditevent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.audit_auditevent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_group; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_group (
    id integer NOT NULL,
    name character varying(150) NOT NULL
);


--
-- Name: auth_group_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_group ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_group_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_group_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_group_permissions (
    id bigint NOT NULL,
    group_id integer NOT NULL,
    permission_id integer NOT NULL
);


--
-- Name: auth_group_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_group_permissions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_group_permissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_permission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_permission (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    content_type_id integer NOT NULL,
    codename character varying(100) NOT NULL
);


--
-- Name: auth_permission_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_permission ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_permission_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: axes_accessattempt; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.axes_accessattempt (
    id integer NOT NULL,
    user_agent character varying(255) NOT NULL,
    ip_address inet,
    username character varying(255),
    http_accept character varying(1025) NOT NULL,
    path_info character varying(255) NOT NULL,
    attempt_time timestamp with time zone NOT NULL,
    get_data text NOT NULL,
    post_data text NOT NULL,
    failures_since_start integer NOT NULL,
    CONSTRAINT axes_accessattempt_failures_since_start_check CHECK ((failures_since_start >= 0))
);


--
-- Name: axes_accessattempt_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.axes_accessattempt ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.axes_accessattempt_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: axes_accessattemptexpiration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.axes_accessattemptexpiration (
    access_attempt_id integer NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: axes_accessfailurelog; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.axes_accessfailurelog (
    id integer NOT NULL,
    user_agent character varying(255) NOT NULL,
    ip_address inet,
    username character varying(255),
    http_accept character varying(1025) NOT NULL,
    path_info character varying(255) NOT NULL,
    attempt_time timestamp with time zone NOT NULL,
    locked_out boolean NOT NULL
);


--
-- Name: axes_accessfailurelog_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.axes_accessfailurelog ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.axes_accessfailurelog_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: axes_accesslog; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.axes_accesslog (
    id integer NOT NULL,
    user_agent character varying(255) NOT NULL,
    ip_address inet,
    username character varying(255),
    http_accept character varying(1025) NOT NULL,
    path_info character varying(255) NOT NULL,
    attempt_time timestamp with time zone NOT NULL,
    logout_time timestamp with time zone,
    session_hash character varying(64) NOT NULL
);


--
-- Name: axes_accesslog_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.axes_accesslog ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.axes_accesslog_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clients_client; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clients_client (
    id bigint NOT NULL,
    public_id uuid NOT NULL,
    first_name character varying(100) NOT NULL,
    last_name character varying(100) NOT NULL,
    email character varying(254) NOT NULL,
    phone character varying(20) NOT NULL,
    date_of_birth date NOT NULL,
    fitzpatrick smallint,
    notes text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    home_location_id bigint,
    organisation_id bigint NOT NULL,
    message_channel character varying(8) NOT NULL,
    anonymised_at timestamp with time zone,
    erasure_requested_at timestamp with time zone,
    purge_after date,
    purged_at timestamp with time zone,
    CONSTRAINT client_fitzpatrick_i_to_vi CHECK (((fitzpatrick IS NULL) OR ((fitzpatrick >= 1) AND (fitzpatrick <= 6)))),
    CONSTRAINT clients_client_fitzpatrick_check CHECK ((fitzpatrick >= 0))
);


--
-- Name: clients_client_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clients_client ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clients_client_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clients_marketingconsent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clients_marketingconsent (
    id bigint NOT NULL,
    channel character varying(8) NOT NULL,
    wording text NOT NULL,
    source character varying(100) NOT NULL,
    withdrawn_at timestamp with time zone,
    client_id bigint,
    address character varying(254) NOT NULL,
    confirmed_at timestamp with time zone,
    organisation_id bigint NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    CONSTRAINT marketing_consent_confirmed_after_request CHECK (((confirmed_at IS NULL) OR (confirmed_at >= requested_at)))
);


--
-- Name: clients_marketingconsent_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clients_marketingconsent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clients_marketingconsent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clients_questionnairesubmission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clients_questionnairesubmission (
    id bigint NOT NULL,
    version integer NOT NULL,
    answered_on date NOT NULL,
    answers jsonb NOT NULL,
    rules_version character varying(64) NOT NULL,
    source character varying(16) NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    client_id bigint NOT NULL,
    submitted_by_id bigint,
    CONSTRAINT clients_questionnairesubmission_version_check CHECK ((version >= 0))
);


--
-- Name: clients_questionnairesubmission_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clients_questionnairesubmission ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clients_questionnairesubmission_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clients_screening; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clients_screening (
    id bigint NOT NULL,
    screened_on date NOT NULL,
    zones jsonb NOT NULL,
    outcome character varying(16) NOT NULL,
    deferred_until date,
    reasons jsonb NOT NULL,
    rules_version character varying(64) NOT NULL,
    values_in_force jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    client_id bigint NOT NULL,
    screened_by_id bigint,
    submission_id bigint NOT NULL,
    CONSTRAINT screening_names_rules_version CHECK ((NOT ((rules_version)::text = ''::text))),
    CONSTRAINT screening_outcome_known CHECK (((outcome)::text = ANY ((ARRAY['cleared'::character varying, 'needs_review'::character varying, 'deferred'::character varying, 'declined'::character varying])::text[])))
);


--
-- Name: clients_screening_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clients_screening ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clients_screening_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_closure; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_closure (
    id bigint NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    reason character varying(200) NOT NULL,
    location_id bigint NOT NULL,
    CONSTRAINT closure_starts_before_end CHECK ((starts_on <= ends_on))
);


--
-- Name: clinics_closure_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_closure ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_closure_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_device; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_device (
    id bigint NOT NULL,
    kind character varying(16) NOT NULL,
    name character varying(100) NOT NULL,
    model character varying(100) NOT NULL,
    serial_number character varying(100) NOT NULL,
    status character varying(16) NOT NULL,
    reprocessing_minutes smallint NOT NULL,
    location_id bigint NOT NULL,
    CONSTRAINT clinics_device_reprocessing_minutes_check CHECK ((reprocessing_minutes >= 0)),
    CONSTRAINT device_reprocessing_at_most_10_hours CHECK ((reprocessing_minutes <= 600))
);


--
-- Name: clinics_device_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_device ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_device_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_device_needle_configurations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_device_needle_configurations (
    id bigint NOT NULL,
    device_id bigint NOT NULL,
    needleconfiguration_id bigint NOT NULL
);


--
-- Name: clinics_device_needle_configurations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_device_needle_configurations ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_device_needle_configurations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_location; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_location (
    id bigint NOT NULL,
    public_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    slug character varying(50) NOT NULL,
    time_zone character varying(64) NOT NULL,
    address text NOT NULL,
    phone character varying(32) NOT NULL,
    email character varying(254) NOT NULL,
    organisation_id bigint NOT NULL,
    booking_horizon_days integer NOT NULL,
    late_cancellation_hours integer NOT NULL,
    minimum_notice_minutes integer NOT NULL,
    waitlist_hold_minutes integer NOT NULL,
    quiet_from time without time zone NOT NULL,
    quiet_until time without time zone NOT NULL,
    reminder_hours character varying(40) NOT NULL,
    CONSTRAINT clinics_location_booking_horizon_days_check CHECK ((booking_horizon_days >= 0)),
    CONSTRAINT clinics_location_late_cancellation_hours_check CHECK ((late_cancellation_hours >= 0)),
    CONSTRAINT clinics_location_minimum_notice_minutes_check CHECK ((minimum_notice_minutes >= 0)),
    CONSTRAINT clinics_location_waitlist_hold_minutes_check CHECK ((waitlist_hold_minutes >= 0))
);


--
-- Name: clinics_location_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_location ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_location_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_needleconfiguration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_needleconfiguration (
    id bigint NOT NULL,
    device_kind character varying(16) NOT NULL,
    name character varying(100) NOT NULL,
    needle_count smallint NOT NULL,
    material character varying(16) NOT NULL,
    needle_length_mm numeric(3,2),
    organisation_id bigint NOT NULL,
    CONSTRAINT clinics_needleconfiguration_needle_count_check CHECK ((needle_count >= 0)),
    CONSTRAINT needle_length_within_range CHECK (((needle_length_mm IS NULL) OR ((needle_length_mm > (0)::numeric) AND (needle_length_mm <= (3)::numeric))))
);


--
-- Name: clinics_needleconfiguration_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_needleconfiguration ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_needleconfiguration_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_openinghours; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_openinghours (
    id bigint NOT NULL,
    weekday smallint NOT NULL,
    opens time without time zone NOT NULL,
    closes time without time zone NOT NULL,
    location_id bigint NOT NULL,
    CONSTRAINT clinics_openinghours_weekday_check CHECK ((weekday >= 0)),
    CONSTRAINT opening_hours_open_before_close CHECK ((opens < closes))
);


--
-- Name: clinics_openinghours_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_openinghours ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_openinghours_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_organisation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_organisation (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    slug character varying(50) NOT NULL,
    rule_overrides jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    currency character varying(3) NOT NULL,
    checklist_blocking jsonb NOT NULL,
    rescreen_after_days smallint NOT NULL,
    clinical_retention_years smallint NOT NULL,
    CONSTRAINT clinics_organisation_clinical_retention_years_check CHECK ((clinical_retention_years >= 0)),
    CONSTRAINT clinics_organisation_rescreen_after_days_check CHECK ((rescreen_after_days >= 0))
);


--
-- Name: clinics_organisation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_organisation ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_organisation_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_room; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_room (
    id bigint NOT NULL,
    name character varying(100) NOT NULL,
    is_active boolean NOT NULL,
    location_id bigint NOT NULL
);


--
-- Name: clinics_room_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_room ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_room_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_staffmember; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_staffmember (
    id bigint NOT NULL,
    role character varying(16) NOT NULL,
    is_active boolean NOT NULL,
    organisation_id bigint NOT NULL,
    user_id bigint NOT NULL,
    public_id uuid NOT NULL
);


--
-- Name: clinics_staffmember_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_staffmember ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_staffmember_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: clinics_staffmember_locations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clinics_staffmember_locations (
    id bigint NOT NULL,
    staffmember_id bigint NOT NULL,
    location_id bigint NOT NULL
);


--
-- Name: clinics_staffmember_locations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.clinics_staffmember_locations ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.clinics_staffmember_locations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: consents_consentform; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consents_consentform (
    id bigint NOT NULL,
    name character varying(120) NOT NULL,
    is_active boolean NOT NULL,
    organisation_id bigint NOT NULL
);


--
-- Name: consents_consentform_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.consents_consentform ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.consents_consentform_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: consents_consentform_services; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consents_consentform_services (
    id bigint NOT NULL,
    consentform_id bigint NOT NULL,
    service_id bigint NOT NULL
);


--
-- Name: consents_consentform_services_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.consents_consentform_services ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.consents_consentform_services_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: consents_consentformversion; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consents_consentformversion (
    id bigint NOT NULL,
    version integer NOT NULL,
    text text NOT NULL,
    text_sha256 character varying(64) NOT NULL,
    published_at timestamp with time zone NOT NULL,
    form_id bigint NOT NULL,
    public_id uuid NOT NULL,
    CONSTRAINT consents_consentformversion_version_check CHECK ((version >= 0))
);


--
-- Name: consents_consentformversion_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.consents_consentformversion ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.consents_consentformversion_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: consents_signedconsent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consents_signedconsent (
    id bigint NOT NULL,
    public_id uuid NOT NULL,
    text_sha256 character varying(64) NOT NULL,
    signed_at timestamp with time zone NOT NULL,
    ip_address inet,
    user_agent character varying(300) NOT NULL,
    kind character varying(8) NOT NULL,
    typed_name character varying(200) NOT NULL,
    drawing_png bytea NOT NULL,
    client_id bigint NOT NULL,
    form_version_id bigint NOT NULL
);


--
-- Name: consents_signedconsent_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.consents_signedconsent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.consents_signedconsent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_admin_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_admin_log (
    id integer NOT NULL,
    action_time timestamp with time zone NOT NULL,
    object_id text,
    object_repr character varying(200) NOT NULL,
    action_flag smallint NOT NULL,
    change_message text NOT NULL,
    content_type_id integer,
    user_id bigint NOT NULL,
    CONSTRAINT django_admin_log_action_flag_check CHECK ((action_flag >= 0))
);


--
-- Name: django_admin_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.django_admin_log ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.django_admin_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_content_type; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_content_type (
    id integer NOT NULL,
    app_label character varying(100) NOT NULL,
    model character varying(100) NOT NULL
);


--
-- Name: django_content_type_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.django_content_type ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.django_content_type_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_migrations (
    id bigint NOT NULL,
    app character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    applied timestamp with time zone NOT NULL
);


--
-- Name: django_migrations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.django_migrations ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.django_migrations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_session (
    session_key character varying(40) NOT NULL,
    session_data text NOT NULL,
    expire_date timestamp with time zone NOT NULL
);


--
-- Name: django_tasks_database_dbtaskresult; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_tasks_database_dbtaskresult (
    id uuid NOT NULL,
    status character varying(10) NOT NULL,
    args_kwargs jsonb NOT NULL,
    priority integer NOT NULL,
    task_path text NOT NULL,
    queue_name character varying(32) NOT NULL,
    backend_name character varying(32) NOT NULL,
    run_after timestamp with time zone NOT NULL,
    enqueued_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    started_at timestamp with time zone,
    return_value jsonb,
    exception_class_path text NOT NULL,
    traceback text NOT NULL,
    worker_ids jsonb NOT NULL,
    CONSTRAINT priority_range CHECK (((priority >= '-100'::integer) AND (priority <= 100)))
);


--
-- Name: imports_externalclientid; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.imports_externalclientid (
    id bigint NOT NULL,
    external_id character varying(100) NOT NULL,
    client_id bigint NOT NULL,
    organisation_id bigint NOT NULL
);


--
-- Name: imports_externalclientid_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.imports_externalclientid ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.imports_externalclientid_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: imports_importedbooking; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.imports_importedbooking (
    id bigint NOT NULL,
    source_id character varying(100) NOT NULL,
    fingerprint character varying(64) NOT NULL,
    booking_id bigint NOT NULL,
    organisation_id bigint NOT NULL
);


--
-- Name: imports_importedbooking_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.imports_importedbooking ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.imports_importedbooking_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: needlepoint_cache; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.needlepoint_cache (
    cache_key character varying(255) NOT NULL,
    value text NOT NULL,
    expires timestamp with time zone NOT NULL
);


--
-- Name: notifications_calendarfeed; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications_calendarfeed (
    id bigint NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    staff_id bigint NOT NULL
);


--
-- Name: notifications_calendarfeed_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications_calendarfeed ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.notifications_calendarfeed_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notifications_campaign; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications_campaign (
    id bigint NOT NULL,
    subject character varying(150) NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    queued_at timestamp with time zone,
    recipients integer NOT NULL,
    created_by_id bigint NOT NULL,
    organisation_id bigint NOT NULL,
    CONSTRAINT notifications_campaign_recipients_check CHECK ((recipients >= 0))
);


--
-- Name: notifications_campaign_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications_campaign ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.notifications_campaign_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notifications_message; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications_message (
    id bigint NOT NULL,
    kind character varying(24) NOT NULL,
    subject character varying(80) NOT NULL,
    step character varying(16) NOT NULL,
    channel character varying(8) NOT NULL,
    recipient character varying(254) NOT NULL,
    due_at timestamp with time zone NOT NULL,
    idempotency_key character varying(48) NOT NULL,
    status character varying(12) NOT NULL,
    attempts smallint NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease_until timestamp with time zone,
    claimed_by character varying(64) NOT NULL,
    last_error text NOT NULL,
    sent_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    client_id bigint,
    organisation_id bigint NOT NULL,
    CONSTRAINT notifications_message_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT sent_message_has_its_time CHECK (((NOT ((status)::text = 'sent'::text)) OR (sent_at IS NOT NULL)))
);


--
-- Name: notifications_message_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications_message ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.notifications_message_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notifications_messagewording; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications_messagewording (
    id bigint NOT NULL,
    kind character varying(24) NOT NULL,
    channel character varying(8) NOT NULL,
    subject character varying(150) NOT NULL,
    body text NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    organisation_id bigint NOT NULL
);


--
-- Name: notifications_messagewording_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications_messagewording ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.notifications_messagewording_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notifications_workerheartbeat; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications_workerheartbeat (
    id bigint NOT NULL,
    worker_id character varying(64) NOT NULL,
    beat_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone NOT NULL
);


--
-- Name: notifications_workerheartbeat_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications_workerheartbeat ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.notifications_workerheartbeat_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: otp_static_staticdevice; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.otp_static_staticdevice (
    id integer NOT NULL,
    name character varying(64) NOT NULL,
    confirmed boolean NOT NULL,
    user_id bigint NOT NULL,
    throttling_failure_count integer NOT NULL,
    throttling_failure_timestamp timestamp with time zone,
    created_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT otp_static_staticdevice_throttling_failure_count_check CHECK ((throttling_failure_count >= 0))
);


--
-- Name: otp_static_staticdevice_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.otp_static_staticdevice ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.otp_static_staticdevice_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: otp_static_statictoken; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.otp_static_statictoken (
    id integer NOT NULL,
    token character varying(16) NOT NULL,
    device_id integer NOT NULL
);


--
-- Name: otp_static_statictoken_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.otp_static_statictoken ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.otp_static_statictoken_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: otp_totp_totpdevice; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.otp_totp_totpdevice (
    id integer NOT NULL,
    name character varying(64) NOT NULL,
    confirmed boolean NOT NULL,
    key character varying(80) NOT NULL,
    step smallint NOT NULL,
    t0 bigint NOT NULL,
    digits smallint NOT NULL,
    tolerance smallint NOT NULL,
    drift smallint NOT NULL,
    last_t bigint NOT NULL,
    user_id bigint NOT NULL,
    throttling_failure_count integer NOT NULL,
    throttling_failure_timestamp timestamp with time zone,
    created_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT otp_totp_totpdevice_digits_check CHECK ((digits >= 0)),
    CONSTRAINT otp_totp_totpdevice_step_check CHECK ((step >= 0)),
    CONSTRAINT otp_totp_totpdevice_throttling_failure_count_check CHECK ((throttling_failure_count >= 0)),
    CONSTRAINT otp_totp_totpdevice_tolerance_check CHECK ((tolerance >= 0))
);


--
-- Name: otp_totp_totpdevice_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.otp_totp_totpdevice ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.otp_totp_totpdevice_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: public_onlinerequest; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.public_onlinerequest (
    id bigint NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    client_id bigint NOT NULL,
    screening_id bigint NOT NULL,
    service_id bigint NOT NULL
);


--
-- Name: public_onlinerequest_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.public_onlinerequest ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.public_onlinerequest_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: public_portallink; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.public_portallink (
    id bigint NOT NULL,
    token_sha256 character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    client_id bigint NOT NULL
);


--
-- Name: public_portallink_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.public_portallink ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.public_portallink_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_booking; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_booking (
    id bigint NOT NULL,
    public_id uuid NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    status character varying(16) NOT NULL,
    channel character varying(8) NOT NULL,
    version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    client_id bigint NOT NULL,
    created_by_id bigint,
    device_id bigint,
    location_id bigint NOT NULL,
    practitioner_id bigint NOT NULL,
    room_id bigint,
    service_id bigint NOT NULL,
    course_id bigint,
    CONSTRAINT booking_starts_before_end CHECK ((starts_at < ends_at)),
    CONSTRAINT scheduling_booking_version_check CHECK ((version >= 0))
);


--
-- Name: scheduling_booking_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_booking ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_booking_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_bookingevent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_bookingevent (
    id bigint NOT NULL,
    kind character varying(24) NOT NULL,
    at timestamp with time zone NOT NULL,
    reason text NOT NULL,
    data jsonb NOT NULL,
    booking_id bigint NOT NULL,
    by_id bigint
);


--
-- Name: scheduling_bookingevent_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_bookingevent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_bookingevent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_course; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_course (
    id bigint NOT NULL,
    planned_sessions smallint NOT NULL,
    interval_days smallint NOT NULL,
    preferred_weekdays jsonb NOT NULL,
    preferred_from time without time zone,
    preferred_to time without time zone,
    created_at timestamp with time zone NOT NULL,
    client_id bigint NOT NULL,
    created_by_id bigint,
    service_id bigint NOT NULL,
    CONSTRAINT course_interval_positive CHECK ((interval_days >= 1)),
    CONSTRAINT course_sessions_in_range CHECK (((planned_sessions >= 1) AND (planned_sessions <= 24))),
    CONSTRAINT scheduling_course_interval_days_check CHECK ((interval_days >= 0)),
    CONSTRAINT scheduling_course_planned_sessions_check CHECK ((planned_sessions >= 0))
);


--
-- Name: scheduling_course_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_course ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_course_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_hold; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_hold (
    id bigint NOT NULL,
    kind character varying(16) NOT NULL,
    resource_id bigint NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    active boolean NOT NULL,
    booking_id bigint NOT NULL,
    CONSTRAINT hold_lasts_at_most_a_day CHECK ((ends_at <= (starts_at + '1 day'::interval))),
    CONSTRAINT hold_starts_before_end CHECK ((starts_at < ends_at))
);


--
-- Name: scheduling_hold_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_hold ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_hold_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_service; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_service (
    id bigint NOT NULL,
    name character varying(120) NOT NULL,
    kind character varying(16) NOT NULL,
    area character varying(64) NOT NULL,
    indication character varying(64) NOT NULL,
    duration_minutes smallint NOT NULL,
    numbing_minutes smallint NOT NULL,
    buffer_before_minutes smallint NOT NULL,
    buffer_after_minutes smallint NOT NULL,
    price numeric(8,2) NOT NULL,
    needs_room boolean NOT NULL,
    device_kind character varying(16) NOT NULL,
    is_active boolean NOT NULL,
    bookable_online boolean NOT NULL,
    location_id bigint NOT NULL,
    requires_patch_test boolean NOT NULL,
    public_id uuid NOT NULL,
    CONSTRAINT scheduling_service_buffer_after_minutes_check CHECK ((buffer_after_minutes >= 0)),
    CONSTRAINT scheduling_service_buffer_before_minutes_check CHECK ((buffer_before_minutes >= 0)),
    CONSTRAINT scheduling_service_duration_minutes_check CHECK ((duration_minutes >= 0)),
    CONSTRAINT scheduling_service_numbing_minutes_check CHECK ((numbing_minutes >= 0)),
    CONSTRAINT service_has_a_duration CHECK ((duration_minutes > 0)),
    CONSTRAINT service_price_not_negative CHECK ((price >= (0)::numeric)),
    CONSTRAINT service_visit_at_most_12_hours CHECK ((numbing_minutes <= (((720 - duration_minutes) - buffer_before_minutes) - buffer_after_minutes))),
    CONSTRAINT treatment_names_its_area CHECK (((((area)::text > ''::text) AND ((kind)::text = 'treatment'::text)) OR (NOT ((kind)::text = 'treatment'::text))))
);


--
-- Name: scheduling_service_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_service ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_service_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_service_practitioners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_service_practitioners (
    id bigint NOT NULL,
    service_id bigint NOT NULL,
    staffmember_id bigint NOT NULL
);


--
-- Name: scheduling_service_practitioners_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_service_practitioners ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_service_practitioners_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_setuptoken; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_setuptoken (
    id bigint NOT NULL,
    token character varying(32) NOT NULL
);


--
-- Name: scheduling_setuptoken_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_setuptoken ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_setuptoken_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_shiftexception; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_shiftexception (
    id bigint NOT NULL,
    "on" date NOT NULL,
    starts time without time zone,
    ends time without time zone,
    location_id bigint NOT NULL,
    staff_id bigint NOT NULL,
    CONSTRAINT shift_exception_both_times_in_order CHECK ((((ends IS NULL) AND (starts IS NULL)) OR (starts < ends)))
);


--
-- Name: scheduling_shiftexception_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_shiftexception ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_shiftexception_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_timeoff; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_timeoff (
    id bigint NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    reason character varying(200) NOT NULL,
    staff_id bigint NOT NULL,
    CONSTRAINT time_off_starts_before_end CHECK ((starts_at < ends_at))
);


--
-- Name: scheduling_timeoff_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_timeoff ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_timeoff_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_waitlistentry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_waitlistentry (
    id bigint NOT NULL,
    earliest_on date NOT NULL,
    latest_on date NOT NULL,
    weekdays jsonb NOT NULL,
    time_from time without time zone,
    time_to time without time zone,
    status character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    client_id bigint NOT NULL,
    service_id bigint NOT NULL,
    CONSTRAINT waitlist_window_in_order CHECK ((earliest_on <= latest_on))
);


--
-- Name: scheduling_waitlistentry_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_waitlistentry ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_waitlistentry_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_waitlistoffer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_waitlistoffer (
    id bigint NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    status character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    booking_id bigint,
    entry_id bigint NOT NULL,
    practitioner_id bigint NOT NULL
);


--
-- Name: scheduling_waitlistoffer_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_waitlistoffer ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_waitlistoffer_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: scheduling_workingperiod; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scheduling_workingperiod (
    id bigint NOT NULL,
    weekday smallint NOT NULL,
    starts time without time zone NOT NULL,
    ends time without time zone NOT NULL,
    location_id bigint NOT NULL,
    staff_id bigint NOT NULL,
    CONSTRAINT scheduling_workingperiod_weekday_check CHECK ((weekday >= 0)),
    CONSTRAINT working_period_starts_before_end CHECK ((starts < ends))
);


--
-- Name: scheduling_workingperiod_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.scheduling_workingperiod ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.scheduling_workingperiod_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_adverseevent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_adverseevent (
    id bigint NOT NULL,
    kind character varying(64) NOT NULL,
    zones jsonb NOT NULL,
    grade smallint NOT NULL,
    onset_on date NOT NULL,
    resolved_on date,
    notes text NOT NULL,
    client_id bigint NOT NULL,
    session_id bigint,
    follow_up text NOT NULL,
    recorded_by_id bigint,
    CONSTRAINT adverse_event_resolved_after_onset CHECK (((resolved_on IS NULL) OR (resolved_on >= onset_on))),
    CONSTRAINT treatments_adverseevent_grade_check CHECK ((grade >= 0))
);


--
-- Name: treatments_adverseevent_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_adverseevent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_adverseevent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_cartridge; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_cartridge (
    id bigint NOT NULL,
    serial character varying(100) NOT NULL,
    lot character varying(100) NOT NULL,
    expires_on date NOT NULL,
    configuration_id bigint NOT NULL,
    organisation_id bigint NOT NULL,
    session_id bigint,
    opened_at timestamp with time zone
);


--
-- Name: treatments_cartridge_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_cartridge ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_cartridge_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_countersignature; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_countersignature (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    by_id bigint NOT NULL,
    session_id bigint NOT NULL
);


--
-- Name: treatments_countersignature_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_countersignature ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_countersignature_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_outcome; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_outcome (
    id bigint NOT NULL,
    scar_grade smallint,
    scar_counts jsonb NOT NULL,
    scar_score smallint,
    glogau smallint,
    improvement smallint,
    notes text NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by_id bigint NOT NULL,
    session_id bigint NOT NULL,
    CONSTRAINT improvement_within_scale CHECK (((improvement IS NULL) OR (improvement <= 10))),
    CONSTRAINT scar_score_within_scale CHECK (((scar_score IS NULL) OR (scar_score <= 84))),
    CONSTRAINT treatments_outcome_glogau_check CHECK ((glogau >= 0)),
    CONSTRAINT treatments_outcome_improvement_check CHECK ((improvement >= 0)),
    CONSTRAINT treatments_outcome_scar_grade_check CHECK ((scar_grade >= 0)),
    CONSTRAINT treatments_outcome_scar_score_check CHECK ((scar_score >= 0))
);


--
-- Name: treatments_outcome_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_outcome ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_outcome_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_photo; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_photo (
    id bigint NOT NULL,
    public_id uuid NOT NULL,
    view character varying(16) NOT NULL,
    timing character varying(8) NOT NULL,
    image character varying(200) NOT NULL,
    thumbnail character varying(200) NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    session_id bigint NOT NULL,
    uploaded_by_id bigint NOT NULL,
    CONSTRAINT treatments_photo_height_check CHECK ((height >= 0)),
    CONSTRAINT treatments_photo_width_check CHECK ((width >= 0))
);


--
-- Name: treatments_photo_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_photo ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_photo_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_sessionaddendum; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_sessionaddendum (
    id bigint NOT NULL,
    text text NOT NULL,
    at timestamp with time zone NOT NULL,
    by_id bigint NOT NULL,
    session_id bigint NOT NULL,
    CONSTRAINT addendum_has_text CHECK ((NOT (text = ''::text)))
);


--
-- Name: treatments_sessionaddendum_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_sessionaddendum ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_sessionaddendum_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_treatmentsession; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_treatmentsession (
    id bigint NOT NULL,
    indication character varying(64) NOT NULL,
    performed_on date NOT NULL,
    created_at timestamp with time zone NOT NULL,
    client_id bigint NOT NULL,
    location_id bigint NOT NULL,
    practitioner_id bigint NOT NULL,
    booking_id bigint,
    completed_at timestamp with time zone,
    completed_by_id bigint,
    device_id bigint,
    next_eligible_on date,
    notes text NOT NULL,
    numbing_applied_at timestamp with time zone,
    numbing_product character varying(120) NOT NULL,
    public_id uuid NOT NULL,
    reaction character varying(24) NOT NULL,
    reaction_notes text NOT NULL,
    speed_hz smallint,
    status character varying(16) NOT NULL,
    topicals text NOT NULL,
    CONSTRAINT completed_session_has_its_time CHECK ((((completed_at IS NULL) AND ((status)::text = 'open'::text)) OR ((completed_at IS NOT NULL) AND ((status)::text = 'completed'::text)))),
    CONSTRAINT treatments_treatmentsession_speed_hz_check CHECK ((speed_hz >= 0))
);


--
-- Name: treatments_treatmentsession_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_treatmentsession ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_treatmentsession_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: treatments_zonetreatment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.treatments_zonetreatment (
    id bigint NOT NULL,
    zone character varying(64) NOT NULL,
    depth_mm numeric(3,2) NOT NULL,
    passes smallint NOT NULL,
    session_id bigint NOT NULL,
    depth_message text NOT NULL,
    depth_status character varying(8) NOT NULL,
    endpoint character varying(24) NOT NULL,
    notes text NOT NULL,
    override_by_id bigint,
    override_reason text NOT NULL,
    technique character varying(16) NOT NULL,
    CONSTRAINT treatments_zonetreatment_passes_check CHECK ((passes >= 0)),
    CONSTRAINT zone_depth_within_range CHECK (((depth_mm > (0)::numeric) AND (depth_mm <= (3)::numeric)))
);


--
-- Name: treatments_zonetreatment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.treatments_zonetreatment ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.treatments_zonetreatment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: webhooks_webhookattempt; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks_webhookattempt (
    id bigint NOT NULL,
    attempted_at timestamp with time zone NOT NULL,
    status_code smallint,
    response_excerpt character varying(300) NOT NULL,
    error character varying(300) NOT NULL,
    duration_ms integer NOT NULL,
    delivery_id bigint NOT NULL,
    CONSTRAINT webhook_attempt_has_an_answer_or_an_error CHECK (((status_code IS NOT NULL) OR (NOT ((error)::text = ''::text)))),
    CONSTRAINT webhooks_webhookattempt_duration_ms_check CHECK ((duration_ms >= 0)),
    CONSTRAINT webhooks_webhookattempt_status_code_check CHECK ((status_code >= 0))
);


--
-- Name: webhooks_webhookattempt_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.webhooks_webhookattempt ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.webhooks_webhookattempt_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: webhooks_webhookdelivery; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks_webhookdelivery (
    id bigint NOT NULL,
    event character varying(32) NOT NULL,
    payload jsonb NOT NULL,
    idempotency_key uuid NOT NULL,
    status character varying(8) NOT NULL,
    attempts smallint NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    leased_until timestamp with time zone,
    claimed_by character varying(64) NOT NULL,
    response_code smallint,
    response_excerpt character varying(300) NOT NULL,
    delivered_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    subscription_id bigint NOT NULL,
    CONSTRAINT sent_webhook_has_its_time CHECK (((NOT ((status)::text = 'sent'::text)) OR (delivered_at IS NOT NULL))),
    CONSTRAINT webhooks_webhookdelivery_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT webhooks_webhookdelivery_response_code_check CHECK ((response_code >= 0))
);


--
-- Name: webhooks_webhookdelivery_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.webhooks_webhookdelivery ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.webhooks_webhookdelivery_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: webhooks_webhooksubscription; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks_webhooksubscription (
    id bigint NOT NULL,
    url character varying(500) NOT NULL,
    events jsonb NOT NULL,
    secret character varying(64) NOT NULL,
    active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    organisation_id bigint NOT NULL,
    previous_secret character varying(64) NOT NULL,
    previous_secret_until timestamp with time zone
);


--
-- Name: webhooks_webhooksubscription_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.webhooks_webhooksubscription ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.webhooks_webhooksubscription_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Data for Name: accounts_user; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.accounts_user (id, password, last_login, is_superuser, email, full_name, is_active, is_staff, date_joined) FROM stdin;
\.


--
-- Data for Name: accounts_user_groups; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.accounts_user_groups (id, user_id, group_id) FROM stdin;
\.


--
-- Data for Name: accounts_user_user_permissions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.accounts_user_user_permissions (id, user_id, permission_id) FROM stdin;
\.


--
-- Data for Name: api_apitoken; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.api_apitoken (id, public_id, name, prefix, secret_sha256, scopes, created_at, last_used_at, revoked_at, user_id, expires_at) FROM stdin;
\.


--
-- Data for Name: api_idempotencykey; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.api_idempotencykey (id, key, request_sha256, status, body, created_at, expires_at, organisation_id, token_id) FROM stdin;
\.


--
-- Data for Name: audit_auditevent; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_auditevent (id, at, actor, role, action, target, target_id, ip, path, reason, detail, client_id, organisation_id, user_id) FROM stdin;
\.


--
-- Data for Name: auth_group; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.auth_group (id, name) FROM stdin;
\.


--
-- Data for Name: auth_group_permissions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.auth_group_permissions (id, group_id, permission_id) FROM stdin;
\.


--
-- Data for Name: auth_permission; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.auth_permission (id, name, content_type_id, codename) FROM stdin;
1	Can add log entry	1	add_logentry
2	Can change log entry	1	change_logentry
3	Can delete log entry	1	delete_logentry
4	Can view log entry	1	view_logentry
5	Can add permission	2	add_permission
6	Can change permission	2	change_permission
7	Can delete permission	2	delete_permission
8	Can view permission	2	view_permission
9	Can add group	3	add_group
10	Can change group	3	change_group
11	Can delete group	3	delete_group
12	Can view group	3	view_group
13	Can add content type	4	add_contenttype
14	Can change content type	4	change_contenttype
15	Can delete content type	4	delete_contenttype
16	Can view content type	4	view_contenttype
17	Can add session	5	add_session
18	Can change session	5	change_session
19	Can delete session	5	delete_session
20	Can view session	5	view_session
21	Can add TOTP device	6	add_totpdevice
22	Can change TOTP device	6	change_totpdevice
23	Can delete TOTP device	6	delete_totpdevice
24	Can view TOTP device	6	view_totpdevice
25	Can add static device	7	add_staticdevice
26	Can change static device	7	change_staticdevice
27	Can delete static device	7	delete_staticdevice
28	Can view static device	7	view_staticdevice
29	Can add static token	8	add_statictoken
30	Can change static token	8	change_statictoken
31	Can delete static token	8	delete_statictoken
32	Can view static token	8	view_statictoken
33	Can add access attempt	9	add_accessattempt
34	Can change access attempt	9	change_accessattempt
35	Can delete access attempt	9	delete_accessattempt
36	Can view access attempt	9	view_accessattempt
37	Can add access log	10	add_accesslog
38	Can change access log	10	change_accesslog
39	Can delete access log	10	delete_accesslog
40	Can view access log	10	view_accesslog
41	Can add access failure	11	add_accessfailurelog
42	Can change access failure	11	change_accessfailurelog
43	Can delete access failure	11	delete_accessfailurelog
44	Can view access failure	11	view_accessfailurelog
45	Can add access attempt expiration	12	add_accessattemptexpiration
46	Can change access attempt expiration	12	change_accessattemptexpiration
47	Can delete access attempt expiration	12	delete_accessattemptexpiration
48	Can view access attempt expiration	12	view_accessattemptexpiration
49	Can add Task Result	13	add_dbtaskresult
50	Can change Task Result	13	change_dbtaskresult
51	Can delete Task Result	13	delete_dbtaskresult
52	Can view Task Result	13	view_dbtaskresult
53	Can add audit event	14	add_auditevent
54	Can change audit event	14	change_auditevent
55	Can delete audit event	14	delete_auditevent
56	Can view audit event	14	view_auditevent
57	Can add user	15	add_user
58	Can change user	15	change_user
59	Can delete user	15	delete_user
60	Can view user	15	view_user
61	Can add organisation	16	add_organisation
62	Can change organisation	16	change_organisation
63	Can delete organisation	16	delete_organisation
64	Can view organisation	16	view_organisation
65	Can add needle configuration	17	add_needleconfiguration
66	Can change needle configuration	17	change_needleconfiguration
67	Can delete needle configuration	17	delete_needleconfiguration
68	Can view needle configuration	17	view_needleconfiguration
69	Can add location	18	add_location
70	Can change location	18	change_location
71	Can delete location	18	delete_location
72	Can view location	18	view_location
73	Can add room	19	add_room
74	Can change room	19	change_room
75	Can delete room	19	delete_room
76	Can view room	19	view_room
77	Can add staff member	20	add_staffmember
78	Can change staff member	20	change_staffmember
79	Can delete staff member	20	delete_staffmember
80	Can view staff member	20	view_staffmember
81	Can add closure	21	add_closure
82	Can change closure	21	change_closure
83	Can delete closure	21	delete_closure
84	Can view closure	21	view_closure
85	Can add device	22	add_device
86	Can change device	22	change_device
87	Can delete device	22	delete_device
88	Can view device	22	view_device
89	Can add opening hours	23	add_openinghours
90	Can change opening hours	23	change_openinghours
91	Can delete opening hours	23	delete_openinghours
92	Can view opening hours	23	view_openinghours
93	Can add client	24	add_client
94	Can change client	24	change_client
95	Can delete client	24	delete_client
96	Can view client	24	view_client
97	Can add marketing consent	25	add_marketingconsent
98	Can change marketing consent	25	change_marketingconsent
99	Can delete marketing consent	25	delete_marketingconsent
100	Can view marketing consent	25	view_marketingconsent
101	Can add questionnaire submission	26	add_questionnairesubmission
102	Can change questionnaire submission	26	change_questionnairesubmission
103	Can delete questionnaire submission	26	delete_questionnairesubmission
104	Can view questionnaire submission	26	view_questionnairesubmission
105	Can add screening	27	add_screening
106	Can change screening	27	change_screening
107	Can delete screening	27	delete_screening
108	Can view screening	27	view_screening
109	Can add treatment session	28	add_treatmentsession
110	Can change treatment session	28	change_treatmentsession
111	Can delete treatment session	28	delete_treatmentsession
112	Can view treatment session	28	view_treatmentsession
113	Can add cartridge	29	add_cartridge
114	Can change cartridge	29	change_cartridge
115	Can delete cartridge	29	delete_cartridge
116	Can view cartridge	29	view_cartridge
117	Can add adverse event	30	add_adverseevent
118	Can change adverse event	30	change_adverseevent
119	Can delete adverse event	30	delete_adverseevent
120	Can view adverse event	30	view_adverseevent
121	Can add zone treatment	31	add_zonetreatment
122	Can change zone treatment	31	change_zonetreatment
123	Can delete zone treatment	31	delete_zonetreatment
124	Can view zone treatment	31	view_zonetreatment
125	Can add outcome	32	add_outcome
126	Can change outcome	32	change_outcome
127	Can delete outcome	32	delete_outcome
128	Can view outcome	32	view_outcome
129	Can add photo	33	add_photo
130	Can change photo	33	change_photo
131	Can delete photo	33	delete_photo
132	Can view photo	33	view_photo
133	Can add session addendum	34	add_sessionaddendum
134	Can change session addendum	34	change_sessionaddendum
135	Can delete session addendum	34	delete_sessionaddendum
136	Can view session addendum	34	view_sessionaddendum
137	Can add countersignature	35	add_countersignature
138	Can change countersignature	35	change_countersignature
139	Can delete countersignature	35	delete_countersignature
140	Can view countersignature	35	view_countersignature
141	Can add booking	36	add_booking
142	Can change booking	36	change_booking
143	Can delete booking	36	delete_booking
144	Can view booking	36	view_booking
145	Can add booking event	37	add_bookingevent
146	Can change booking event	37	change_bookingevent
147	Can delete booking event	37	delete_bookingevent
148	Can view booking event	37	view_bookingevent
149	Can add service	38	add_service
150	Can change service	38	change_service
151	Can delete service	38	delete_service
152	Can view service	38	view_service
153	Can add shift exception	39	add_shiftexception
154	Can change shift exception	39	change_shiftexception
155	Can delete shift exception	39	delete_shiftexception
156	Can view shift exception	39	view_shiftexception
157	Can add time off	40	add_timeoff
158	Can change time off	40	change_timeoff
159	Can delete time off	40	delete_timeoff
160	Can view time off	40	view_timeoff
161	Can add working period	41	add_workingperiod
162	Can change working period	41	change_workingperiod
163	Can delete working period	41	delete_workingperiod
164	Can view working period	41	view_workingperiod
165	Can add hold	42	add_hold
166	Can change hold	42	change_hold
167	Can delete hold	42	delete_hold
168	Can view hold	42	view_hold
169	Can add course	43	add_course
170	Can change course	43	change_course
171	Can delete course	43	delete_course
172	Can view course	43	view_course
173	Can add waitlist entry	44	add_waitlistentry
174	Can change waitlist entry	44	change_waitlistentry
175	Can delete waitlist entry	44	delete_waitlistentry
176	Can view waitlist entry	44	view_waitlistentry
177	Can add waitlist offer	45	add_waitlistoffer
178	Can change waitlist offer	45	change_waitlistoffer
179	Can delete waitlist offer	45	delete_waitlistoffer
180	Can view waitlist offer	45	view_waitlistoffer
181	Can add setup token	46	add_setuptoken
182	Can change setup token	46	change_setuptoken
183	Can delete setup token	46	delete_setuptoken
184	Can view setup token	46	view_setuptoken
185	Can add consent form	47	add_consentform
186	Can change consent form	47	change_consentform
187	Can delete consent form	47	delete_consentform
188	Can view consent form	47	view_consentform
189	Can add consent form version	48	add_consentformversion
190	Can change consent form version	48	change_consentformversion
191	Can delete consent form version	48	delete_consentformversion
192	Can view consent form version	48	view_consentformversion
193	Can add signed consent	49	add_signedconsent
194	Can change signed consent	49	change_signedconsent
195	Can delete signed consent	49	delete_signedconsent
196	Can view signed consent	49	view_signedconsent
197	Can add portal link	50	add_portallink
198	Can change portal link	50	change_portallink
199	Can delete portal link	50	delete_portallink
200	Can view portal link	50	view_portallink
201	Can add online request	51	add_onlinerequest
202	Can change online request	51	change_onlinerequest
203	Can delete online request	51	delete_onlinerequest
204	Can view online request	51	view_onlinerequest
205	Can add worker heartbeat	52	add_workerheartbeat
206	Can change worker heartbeat	52	change_workerheartbeat
207	Can delete worker heartbeat	52	delete_workerheartbeat
208	Can view worker heartbeat	52	view_workerheartbeat
209	Can add calendar feed	53	add_calendarfeed
210	Can change calendar feed	53	change_calendarfeed
211	Can delete calendar feed	53	delete_calendarfeed
212	Can view calendar feed	53	view_calendarfeed
213	Can add message	54	add_message
214	Can change message	54	change_message
215	Can delete message	54	delete_message
216	Can view message	54	view_message
217	Can add campaign	55	add_campaign
218	Can change campaign	55	change_campaign
219	Can delete campaign	55	delete_campaign
220	Can view campaign	55	view_campaign
221	Can add message wording	56	add_messagewording
222	Can change message wording	56	change_messagewording
223	Can delete message wording	56	delete_messagewording
224	Can view message wording	56	view_messagewording
225	Can add external client id	57	add_externalclientid
226	Can change external client id	57	change_externalclientid
227	Can delete external client id	57	delete_externalclientid
228	Can view external client id	57	view_externalclientid
229	Can add imported booking	58	add_importedbooking
230	Can change imported booking	58	change_importedbooking
231	Can delete imported booking	58	delete_importedbooking
232	Can view imported booking	58	view_importedbooking
233	Can add webhook subscription	59	add_webhooksubscription
234	Can change webhook subscription	59	change_webhooksubscription
235	Can delete webhook subscription	59	delete_webhooksubscription
236	Can view webhook subscription	59	view_webhooksubscription
237	Can add webhook delivery	60	add_webhookdelivery
238	Can change webhook delivery	60	change_webhookdelivery
239	Can delete webhook delivery	60	delete_webhookdelivery
240	Can view webhook delivery	60	view_webhookdelivery
241	Can add webhook attempt	61	add_webhookattempt
242	Can change webhook attempt	61	change_webhookattempt
243	Can delete webhook attempt	61	delete_webhookattempt
244	Can view webhook attempt	61	view_webhookattempt
245	Can add api token	62	add_apitoken
246	Can change api token	62	change_apitoken
247	Can delete api token	62	delete_apitoken
248	Can view api token	62	view_apitoken
249	Can add idempotency key	63	add_idempotencykey
250	Can change idempotency key	63	change_idempotencykey
251	Can delete idempotency key	63	delete_idempotencykey
252	Can view idempotency key	63	view_idempotencykey
\.


--
-- Data for Name: axes_accessattempt; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.axes_accessattempt (id, user_agent, ip_address, username, http_accept, path_info, attempt_time, get_data, post_data, failures_since_start) FROM stdin;
\.


--
-- Data for Name: axes_accessattemptexpiration; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.axes_accessattemptexpiration (access_attempt_id, expires_at) FROM stdin;
\.


--
-- Data for Name: axes_accessfailurelog; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.axes_accessfailurelog (id, user_agent, ip_address, username, http_accept, path_info, attempt_time, locked_out) FROM stdin;
\.


--
-- Data for Name: axes_accesslog; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.axes_accesslog (id, user_agent, ip_address, username, http_accept, path_info, attempt_time, logout_time, session_hash) FROM stdin;
\.


--
-- Data for Name: clients_client; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clients_client (id, public_id, first_name, last_name, email, phone, date_of_birth, fitzpatrick, notes, created_at, home_location_id, organisation_id, message_channel, anonymised_at, erasure_requested_at, purge_after, purged_at) FROM stdin;
\.


--
-- Data for Name: clients_marketingconsent; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clients_marketingconsent (id, channel, wording, source, withdrawn_at, client_id, address, confirmed_at, organisation_id, requested_at) FROM stdin;
\.


--
-- Data for Name: clients_questionnairesubmission; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clients_questionnairesubmission (id, version, answered_on, answers, rules_version, source, submitted_at, client_id, submitted_by_id) FROM stdin;
\.


--
-- Data for Name: clients_screening; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clients_screening (id, screened_on, zones, outcome, deferred_until, reasons, rules_version, values_in_force, created_at, client_id, screened_by_id, submission_id) FROM stdin;
\.


--
-- Data for Name: clinics_closure; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_closure (id, starts_on, ends_on, reason, location_id) FROM stdin;
\.


--
-- Data for Name: clinics_device; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_device (id, kind, name, model, serial_number, status, reprocessing_minutes, location_id) FROM stdin;
\.


--
-- Data for Name: clinics_device_needle_configurations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_device_needle_configurations (id, device_id, needleconfiguration_id) FROM stdin;
\.


--
-- Data for Name: clinics_location; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_location (id, public_id, name, slug, time_zone, address, phone, email, organisation_id, booking_horizon_days, late_cancellation_hours, minimum_notice_minutes, waitlist_hold_minutes, quiet_from, quiet_until, reminder_hours) FROM stdin;
\.


--
-- Data for Name: clinics_needleconfiguration; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_needleconfiguration (id, device_kind, name, needle_count, material, needle_length_mm, organisation_id) FROM stdin;
\.


--
-- Data for Name: clinics_openinghours; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_openinghours (id, weekday, opens, closes, location_id) FROM stdin;
\.


--
-- Data for Name: clinics_organisation; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_organisation (id, name, slug, rule_overrides, created_at, currency, checklist_blocking, rescreen_after_days, clinical_retention_years) FROM stdin;
\.


--
-- Data for Name: clinics_room; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_room (id, name, is_active, location_id) FROM stdin;
\.


--
-- Data for Name: clinics_staffmember; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_staffmember (id, role, is_active, organisation_id, user_id, public_id) FROM stdin;
\.


--
-- Data for Name: clinics_staffmember_locations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clinics_staffmember_locations (id, staffmember_id, location_id) FROM stdin;
\.


--
-- Data for Name: consents_consentform; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.consents_consentform (id, name, is_active, organisation_id) FROM stdin;
\.


--
-- Data for Name: consents_consentform_services; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.consents_consentform_services (id, consentform_id, service_id) FROM stdin;
\.


--
-- Data for Name: consents_consentformversion; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.consents_consentformversion (id, version, text, text_sha256, published_at, form_id, public_id) FROM stdin;
\.


--
-- Data for Name: consents_signedconsent; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.consents_signedconsent (id, public_id, text_sha256, signed_at, ip_address, user_agent, kind, typed_name, drawing_png, client_id, form_version_id) FROM stdin;
\.


--
-- Data for Name: django_admin_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.django_admin_log (id, action_time, object_id, object_repr, action_flag, change_message, content_type_id, user_id) FROM stdin;
\.


--
-- Data for Name: django_content_type; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.django_content_type (id, app_label, model) FROM stdin;
1	admin	logentry
2	auth	permission
3	auth	group
4	contenttypes	contenttype
5	sessions	session
6	otp_totp	totpdevice
7	otp_static	staticdevice
8	otp_static	statictoken
9	axes	accessattempt
10	axes	accesslog
11	axes	accessfailurelog
12	axes	accessattemptexpiration
13	django_tasks_database	dbtaskresult
14	audit	auditevent
15	accounts	user
16	clinics	organisation
17	clinics	needleconfiguration
18	clinics	location
19	clinics	room
20	clinics	staffmember
21	clinics	closure
22	clinics	device
23	clinics	openinghours
24	clients	client
25	clients	marketingconsent
26	clients	questionnairesubmission
27	clients	screening
28	treatments	treatmentsession
29	treatments	cartridge
30	treatments	adverseevent
31	treatments	zonetreatment
32	treatments	outcome
33	treatments	photo
34	treatments	sessionaddendum
35	treatments	countersignature
36	scheduling	booking
37	scheduling	bookingevent
38	scheduling	service
39	scheduling	shiftexception
40	scheduling	timeoff
41	scheduling	workingperiod
42	scheduling	hold
43	scheduling	course
44	scheduling	waitlistentry
45	scheduling	waitlistoffer
46	scheduling	setuptoken
47	consents	consentform
48	consents	consentformversion
49	consents	signedconsent
50	public	portallink
51	public	onlinerequest
52	notifications	workerheartbeat
53	notifications	calendarfeed
54	notifications	message
55	notifications	campaign
56	notifications	messagewording
57	imports	externalclientid
58	imports	importedbooking
59	webhooks	webhooksubscription
60	webhooks	webhookdelivery
61	webhooks	webhookattempt
62	api	apitoken
63	api	idempotencykey
\.


--
-- Data for Name: django_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.django_migrations (id, app, name, applied) FROM stdin;
1	contenttypes	0001_initial	2026-12-06 07:46:32.945763+00
2	contenttypes	0002_remove_content_type_name	2026-12-06 07:46:32.960431+00
3	auth	0001_initial	2026-12-06 07:46:33.032755+00
4	auth	0002_alter_permission_name_max_length	2026-12-06 07:46:33.044986+00
5	auth	0003_alter_user_email_max_length	2026-12-06 07:46:33.051895+00
6	auth	0004_alter_user_username_opts	2026-12-06 07:46:33.063619+00
7	auth	0005_alter_user_last_login_null	2026-12-06 07:46:33.075643+00
8	auth	0006_require_contenttypes_0002	2026-12-06 07:46:33.082839+00
9	auth	0007_alter_validators_add_error_messages	2026-12-06 07:46:33.09163+00
10	auth	0008_alter_user_username_max_length	2026-12-06 07:46:33.103541+00
11	auth	0009_alter_user_last_name_max_length	2026-12-06 07:46:33.114202+00
12	auth	0010_alter_group_name_max_length	2026-12-06 07:46:33.127971+00
13	auth	0011_update_proxy_permissions	2026-12-06 07:46:33.288427+00
14	auth	0012_alter_user_first_name_max_length	2026-12-06 07:46:33.295935+00
15	accounts	0001_initial	2026-12-06 07:46:33.368593+00
16	admin	0001_initial	2026-12-06 07:46:33.408724+00
17	admin	0002_logentry_remove_auto_add	2026-12-06 07:46:33.423644+00
18	admin	0003_logentry_add_action_flag_choices	2026-12-06 07:46:33.437859+00
19	clinics	0001_initial	2026-12-06 07:46:33.804816+00
20	clinics	0002_location_booking_horizon_days_and_more	2026-12-06 07:46:33.844382+00
21	clinics	0003_waitlist	2026-12-06 07:46:33.855255+00
22	clinics	0004_organisation_currency	2026-12-06 07:46:33.862265+00
23	clinics	0005_longest_visit	2026-12-06 07:46:33.873199+00
24	clinics	0006_checklist_settings	2026-12-06 07:46:33.884706+00
25	clinics	0007_reminders_and_quiet_hours	2026-12-06 07:46:33.911896+00
26	clinics	0008_clinical_retention_years	2026-12-06 07:46:33.919248+00
27	api	0001_initial	2026-12-06 07:46:33.940693+00
28	api	0002_idempotency_keys	2026-12-06 07:46:34.016703+00
29	api	0003_token_expiry	2026-12-06 07:46:34.040899+00
30	clients	0001_initial	2026-12-06 07:46:34.656701+00
31	clients	0002_marketing_consent_double_opt_in	2026-12-06 07:46:34.972712+00
32	clients	0003_marketing_consent_finish	2026-12-06 07:46:35.060512+00
33	clients	0004_message_channel	2026-12-06 07:46:35.097564+00
34	audit	0001_audit_event	2026-12-06 07:46:35.267427+00
35	audit	0002_audit_log_is_append_only	2026-12-06 07:46:35.317705+00
36	audit	0003_security_events_lockouts_and_refused_codes	2026-12-06 07:46:35.351177+00
37	axes	0001_initial	2026-12-06 07:46:35.384618+00
38	axes	0002_auto_20151217_2044	2026-12-06 07:46:35.454296+00
39	axes	0003_auto_20160322_0929	2026-12-06 07:46:35.482199+00
40	axes	0004_auto_20181024_1538	2026-12-06 07:46:35.513266+00
41	axes	0005_remove_accessattempt_trusted	2026-12-06 07:46:35.524895+00
42	axes	0006_remove_accesslog_trusted	2026-12-06 07:46:35.536928+00
43	axes	0007_alter_accessattempt_unique_together	2026-12-06 07:46:35.600673+00
44	axes	0008_accessfailurelog	2026-12-06 07:46:35.647579+00
45	axes	0009_add_session_hash	2026-12-06 07:46:35.659654+00
46	axes	0010_accessattemptexpiration	2026-12-06 07:46:35.680525+00
47	clients	0005_erasure_and_photo_consent	2026-12-06 07:46:35.846152+00
48	clinics	0009_staff_members_get_a_public_id	2026-12-06 07:46:36.001216+00
49	scheduling	0001_initial	2026-12-06 07:46:37.080725+00
50	scheduling	0002_no_overlapping_holds	2026-12-06 07:46:37.184968+00
51	scheduling	0003_courses	2026-12-06 07:46:37.414826+00
52	scheduling	0004_waitlist	2026-12-06 07:46:37.752662+00
53	scheduling	0005_hold_index_by_end	2026-12-06 07:46:37.852858+00
54	consents	0001_initial	2026-12-06 07:46:38.25278+00
55	consents	0002_signatures_never_change	2026-12-06 07:46:38.352555+00
56	consents	0003_purge_may_delete_signatures	2026-12-06 07:46:38.452912+00
57	consents	0004_consent_versions_get_a_public_id	2026-12-06 07:46:38.75171+00
58	core	0001_cache_table	2026-12-06 07:46:38.800841+00
59	django_tasks_database	0001_initial	2026-12-06 07:46:38.813468+00
60	django_tasks_database	0002_alter_dbtaskresult_options	2026-12-06 07:46:38.818447+00
61	django_tasks_database	0003_dbtaskresult_enqueued_at_dbtaskresult_finished_at	2026-12-06 07:46:38.838972+00
62	django_tasks_database	0004_dbtaskresult_started_at	2026-12-06 07:46:38.84907+00
63	django_tasks_database	0005_alter_dbtaskresult_priority_and_more	2026-12-06 07:46:38.880551+00
64	django_tasks_database	0006_alter_dbtaskresult_args_kwargs_and_more	2026-12-06 07:46:38.945879+00
65	django_tasks_database	0007_add_separate_results_fields	2026-12-06 07:46:38.965121+00
66	django_tasks_database	0008_separate_results_field	2026-12-06 07:46:39.070046+00
67	django_tasks_database	0009_remove_results_field	2026-12-06 07:46:39.080076+00
68	django_tasks_database	0010_alter_dbtaskresult_status	2026-12-06 07:46:39.0927+00
69	django_tasks_database	0011_rename_complete_status	2026-12-06 07:46:39.177626+00
70	django_tasks_database	0012_add_separate_exception_fields	2026-12-06 07:46:39.197918+00
71	django_tasks_database	0013_separate_exception_fields	2026-12-06 07:46:39.298986+00
72	django_tasks_database	0014_remove_dbtaskresult_exception_data	2026-12-06 07:46:39.313713+00
73	django_tasks_database	0015_correctly_order_run_after	2026-12-06 07:46:39.31922+00
74	django_tasks_database	0016_remove_dbtaskresult_django_task_new_ordering_idx_and_more	2026-12-06 07:46:39.50874+00
75	django_tasks_database	0017_dbtaskresult_metadata	2026-12-06 07:46:39.537932+00
76	django_tasks_database	0018_rename_succeeded_status	2026-12-06 07:46:39.628624+00
77	django_tasks_database	0019_rename_django_task_new_ordering_idx_tasks_db_new_ordering_idx_and_more	2026-12-06 07:46:39.65445+00
78	django_tasks_database	0020_update_db_task_result_ordering	2026-12-06 07:46:39.676731+00
79	django_tasks_database	0021_conditional_partial_index_ordering	2026-12-06 07:46:39.704683+00
80	scheduling	0006_holds_last_at_most_a_day	2026-12-06 07:46:39.902724+00
81	scheduling	0007_service_requires_patch_test	2026-12-06 07:46:39.948744+00
82	scheduling	0008_service_public_id	2026-12-06 07:46:40.318158+00
83	imports	0001_external_client_ids	2026-12-06 07:46:40.412577+00
84	imports	0002_imported_bookings	2026-12-06 07:46:40.516658+00
85	notifications	0001_outbox	2026-12-06 07:46:40.721444+00
86	notifications	0002_campaigns	2026-12-06 07:46:40.78979+00
87	notifications	0003_clinic_wording	2026-12-06 07:46:40.876636+00
88	otp_static	0001_initial	2026-12-06 07:46:41.072654+00
89	otp_static	0002_throttling	2026-12-06 07:46:41.155857+00
90	otp_static	0003_add_timestamps	2026-12-06 07:46:41.240582+00
91	otp_totp	0001_initial	2026-12-06 07:46:41.320513+00
92	otp_totp	0002_auto_20190420_0723	2026-12-06 07:46:41.381174+00
93	otp_totp	0003_add_timestamps	2026-12-06 07:46:41.462136+00
94	public	0001_portal_links	2026-12-06 07:46:41.572578+00
95	public	0002_online_requests	2026-12-06 07:46:41.948602+00
96	webhooks	0001_initial	2026-12-06 07:46:42.184337+00
97	webhooks	0002_attempts_edit_and_secret_grace	2026-12-06 07:46:42.408326+00
98	scheduling	0009_setup_token	2026-12-06 07:46:42.541428+00
99	scheduling	0010_setup_token_covers_webhooks	2026-12-06 07:46:42.661052+00
100	scheduling	0011_setup_token_covers_clinical_rules	2026-12-06 07:46:42.721059+00
101	sessions	0001_initial	2026-12-06 07:46:42.75063+00
102	treatments	0001_initial	2026-12-06 07:46:43.568602+00
103	treatments	0002_charting	2026-12-06 07:46:46.942357+00
104	treatments	0003_signed_charts_never_change	2026-12-06 07:46:47.082674+00
105	treatments	0004_purge_may_delete_charts	2026-12-06 07:46:47.214228+00
106	treatments	0005_countersignature	2026-12-06 07:46:47.364669+00
107	treatments	0006_countersignature_never_changes	2026-12-06 07:46:47.832201+00
\.


--
-- Data for Name: django_session; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.django_session (session_key, session_data, expire_date) FROM stdin;
\.


--
-- Data for Name: django_tasks_database_dbtaskresult; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.django_tasks_database_dbtaskresult (id, status, args_kwargs, priority, task_path, queue_name, backend_name, run_after, enqueued_at, finished_at, started_at, return_value, exception_class_path, traceback, worker_ids) FROM stdin;
\.


--
-- Data for Name: imports_externalclientid; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.imports_externalclientid (id, external_id, client_id, organisation_id) FROM stdin;
\.


--
-- Data for Name: imports_importedbooking; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.imports_importedbooking (id, source_id, fingerprint, booking_id, organisation_id) FROM stdin;
\.


--
-- Data for Name: needlepoint_cache; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.needlepoint_cache (cache_key, value, expires) FROM stdin;
\.


--
-- Data for Name: notifications_calendarfeed; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notifications_calendarfeed (id, token_hash, created_at, revoked_at, staff_id) FROM stdin;
\.


--
-- Data for Name: notifications_campaign; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notifications_campaign (id, subject, body, created_at, queued_at, recipients, created_by_id, organisation_id) FROM stdin;
\.


--
-- Data for Name: notifications_message; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notifications_message (id, kind, subject, step, channel, recipient, due_at, idempotency_key, status, attempts, next_attempt_at, lease_until, claimed_by, last_error, sent_at, created_at, client_id, organisation_id) FROM stdin;
\.


--
-- Data for Name: notifications_messagewording; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notifications_messagewording (id, kind, channel, subject, body, updated_at, organisation_id) FROM stdin;
\.


--
-- Data for Name: notifications_workerheartbeat; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notifications_workerheartbeat (id, worker_id, beat_at, started_at) FROM stdin;
\.


--
-- Data for Name: otp_static_staticdevice; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.otp_static_staticdevice (id, name, confirmed, user_id, throttling_failure_count, throttling_failure_timestamp, created_at, last_used_at) FROM stdin;
\.


--
-- Data for Name: otp_static_statictoken; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.otp_static_statictoken (id, token, device_id) FROM stdin;
\.


--
-- Data for Name: otp_totp_totpdevice; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.otp_totp_totpdevice (id, name, confirmed, key, step, t0, digits, tolerance, drift, last_t, user_id, throttling_failure_count, throttling_failure_timestamp, created_at, last_used_at) FROM stdin;
\.


--
-- Data for Name: public_onlinerequest; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.public_onlinerequest (id, starts_at, created_at, client_id, screening_id, service_id) FROM stdin;
\.


--
-- Data for Name: public_portallink; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.public_portallink (id, token_sha256, created_at, expires_at, used_at, client_id) FROM stdin;
\.


--
-- Data for Name: scheduling_booking; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_booking (id, public_id, starts_at, ends_at, status, channel, version, created_at, client_id, created_by_id, device_id, location_id, practitioner_id, room_id, service_id, course_id) FROM stdin;
\.


--
-- Data for Name: scheduling_bookingevent; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_bookingevent (id, kind, at, reason, data, booking_id, by_id) FROM stdin;
\.


--
-- Data for Name: scheduling_course; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_course (id, planned_sessions, interval_days, preferred_weekdays, preferred_from, preferred_to, created_at, client_id, created_by_id, service_id) FROM stdin;
\.


--
-- Data for Name: scheduling_hold; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_hold (id, kind, resource_id, starts_at, ends_at, active, booking_id) FROM stdin;
\.


--
-- Data for Name: scheduling_service; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_service (id, name, kind, area, indication, duration_minutes, numbing_minutes, buffer_before_minutes, buffer_after_minutes, price, needs_room, device_kind, is_active, bookable_online, location_id, requires_patch_test, public_id) FROM stdin;
\.


--
-- Data for Name: scheduling_service_practitioners; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_service_practitioners (id, service_id, staffmember_id) FROM stdin;
\.


--
-- Data for Name: scheduling_setuptoken; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_setuptoken (id, token) FROM stdin;
1	d14bd68872b42561db38e5ad2f98dfdc
\.


--
-- Data for Name: scheduling_shiftexception; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_shiftexception (id, "on", starts, ends, location_id, staff_id) FROM stdin;
\.


--
-- Data for Name: scheduling_timeoff; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_timeoff (id, starts_at, ends_at, reason, staff_id) FROM stdin;
\.


--
-- Data for Name: scheduling_waitlistentry; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_waitlistentry (id, earliest_on, latest_on, weekdays, time_from, time_to, status, created_at, client_id, service_id) FROM stdin;
\.


--
-- Data for Name: scheduling_waitlistoffer; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_waitlistoffer (id, starts_at, expires_at, status, created_at, booking_id, entry_id, practitioner_id) FROM stdin;
\.


--
-- Data for Name: scheduling_workingperiod; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scheduling_workingperiod (id, weekday, starts, ends, location_id, staff_id) FROM stdin;
\.


--
-- Data for Name: treatments_adverseevent; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_adverseevent (id, kind, zones, grade, onset_on, resolved_on, notes, client_id, session_id, follow_up, recorded_by_id) FROM stdin;
\.


--
-- Data for Name: treatments_cartridge; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_cartridge (id, serial, lot, expires_on, configuration_id, organisation_id, session_id, opened_at) FROM stdin;
\.


--
-- Data for Name: treatments_countersignature; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_countersignature (id, at, by_id, session_id) FROM stdin;
\.


--
-- Data for Name: treatments_outcome; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_outcome (id, scar_grade, scar_counts, scar_score, glogau, improvement, notes, recorded_at, recorded_by_id, session_id) FROM stdin;
\.


--
-- Data for Name: treatments_photo; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_photo (id, public_id, view, timing, image, thumbnail, width, height, uploaded_at, session_id, uploaded_by_id) FROM stdin;
\.


--
-- Data for Name: treatments_sessionaddendum; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_sessionaddendum (id, text, at, by_id, session_id) FROM stdin;
\.


--
-- Data for Name: treatments_treatmentsession; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_treatmentsession (id, indication, performed_on, created_at, client_id, location_id, practitioner_id, booking_id, completed_at, completed_by_id, device_id, next_eligible_on, notes, numbing_applied_at, numbing_product, public_id, reaction, reaction_notes, speed_hz, status, topicals) FROM stdin;
\.


--
-- Data for Name: treatments_zonetreatment; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.treatments_zonetreatment (id, zone, depth_mm, passes, session_id, depth_message, depth_status, endpoint, notes, override_by_id, override_reason, technique) FROM stdin;
\.


--
-- Data for Name: webhooks_webhookattempt; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.webhooks_webhookattempt (id, attempted_at, status_code, response_excerpt, error, duration_ms, delivery_id) FROM stdin;
\.


--
-- Data for Name: webhooks_webhookdelivery; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.webhooks_webhookdelivery (id, event, payload, idempotency_key, status, attempts, next_attempt_at, leased_until, claimed_by, response_code, response_excerpt, delivered_at, created_at, subscription_id) FROM stdin;
\.


--
-- Data for Name: webhooks_webhooksubscription; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.webhooks_webhooksubscription (id, url, events, secret, active, created_at, organisation_id, previous_secret, previous_secret_until) FROM stdin;
\.


--
-- Name: accounts_user_groups_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.accounts_user_groups_id_seq', 1, false);


--
-- Name: accounts_user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.accounts_user_id_seq', 1, false);


--
-- Name: accounts_user_user_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.accounts_user_user_permissions_id_seq', 1, false);


--
-- Name: api_apitoken_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_apitoken_id_seq', 1, false);


--
-- Name: api_idempotencykey_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_idempotencykey_id_seq', 1, false);


--
-- Name: audit_auditevent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_auditevent_id_seq', 1, false);


--
-- Name: auth_group_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.auth_group_id_seq', 1, false);


--
-- Name: auth_group_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.auth_group_permissions_id_seq', 1, false);


--
-- Name: auth_permission_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.auth_permission_id_seq', 252, true);


--
-- Name: axes_accessattempt_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.axes_accessattempt_id_seq', 1, false);


--
-- Name: axes_accessfailurelog_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.axes_accessfailurelog_id_seq', 1, false);


--
-- Name: axes_accesslog_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.axes_accesslog_id_seq', 1, false);


--
-- Name: clients_client_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clients_client_id_seq', 1, false);


--
-- Name: clients_marketingconsent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clients_marketingconsent_id_seq', 1, false);


--
-- Name: clients_questionnairesubmission_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clients_questionnairesubmission_id_seq', 1, false);


--
-- Name: clients_screening_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clients_screening_id_seq', 1, false);


--
-- Name: clinics_closure_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_closure_id_seq', 1, false);


--
-- Name: clinics_device_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_device_id_seq', 1, false);


--
-- Name: clinics_device_needle_configurations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_device_needle_configurations_id_seq', 1, false);


--
-- Name: clinics_location_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_location_id_seq', 1, false);


--
-- Name: clinics_needleconfiguration_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_needleconfiguration_id_seq', 1, false);


--
-- Name: clinics_openinghours_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_openinghours_id_seq', 1, false);


--
-- Name: clinics_organisation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_organisation_id_seq', 1, false);


--
-- Name: clinics_room_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_room_id_seq', 1, false);


--
-- Name: clinics_staffmember_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_staffmember_id_seq', 1, false);


--
-- Name: clinics_staffmember_locations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.clinics_staffmember_locations_id_seq', 1, false);


--
-- Name: consents_consentform_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.consents_consentform_id_seq', 1, false);


--
-- Name: consents_consentform_services_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.consents_consentform_services_id_seq', 1, false);


--
-- Name: consents_consentformversion_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.consents_consentformversion_id_seq', 1, false);


--
-- Name: consents_signedconsent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.consents_signedconsent_id_seq', 1, false);


--
-- Name: django_admin_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.django_admin_log_id_seq', 1, false);


--
-- Name: django_content_type_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.django_content_type_id_seq', 63, true);


--
-- Name: django_migrations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.django_migrations_id_seq', 107, true);


--
-- Name: imports_externalclientid_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.imports_externalclientid_id_seq', 1, false);


--
-- Name: imports_importedbooking_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.imports_importedbooking_id_seq', 1, false);


--
-- Name: notifications_calendarfeed_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_calendarfeed_id_seq', 1, false);


--
-- Name: notifications_campaign_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_campaign_id_seq', 1, false);


--
-- Name: notifications_message_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_message_id_seq', 1, false);


--
-- Name: notifications_messagewording_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_messagewording_id_seq', 1, false);


--
-- Name: notifications_workerheartbeat_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_workerheartbeat_id_seq', 1, false);


--
-- Name: otp_static_staticdevice_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.otp_static_staticdevice_id_seq', 1, false);


--
-- Name: otp_static_statictoken_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.otp_static_statictoken_id_seq', 1, false);


--
-- Name: otp_totp_totpdevice_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.otp_totp_totpdevice_id_seq', 1, false);


--
-- Name: public_onlinerequest_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.public_onlinerequest_id_seq', 1, false);


--
-- Name: public_portallink_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.public_portallink_id_seq', 1, false);


--
-- Name: scheduling_booking_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_booking_id_seq', 1, false);


--
-- Name: scheduling_bookingevent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_bookingevent_id_seq', 1, false);


--
-- Name: scheduling_course_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_course_id_seq', 1, false);


--
-- Name: scheduling_hold_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_hold_id_seq', 1, false);


--
-- Name: scheduling_service_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_service_id_seq', 1, false);


--
-- Name: scheduling_service_practitioners_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_service_practitioners_id_seq', 1, false);


--
-- Name: scheduling_setuptoken_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_setuptoken_id_seq', 1, false);


--
-- Name: scheduling_shiftexception_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_shiftexception_id_seq', 1, false);


--
-- Name: scheduling_timeoff_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_timeoff_id_seq', 1, false);


--
-- Name: scheduling_waitlistentry_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_waitlistentry_id_seq', 1, false);


--
-- Name: scheduling_waitlistoffer_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_waitlistoffer_id_seq', 1, false);


--
-- Name: scheduling_workingperiod_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scheduling_workingperiod_id_seq', 1, false);


--
-- Name: treatments_adverseevent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_adverseevent_id_seq', 1, false);


--
-- Name: treatments_cartridge_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_cartridge_id_seq', 1, false);


--
-- Name: treatments_countersignature_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_countersignature_id_seq', 1, false);


--
-- Name: treatments_outcome_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_outcome_id_seq', 1, false);


--
-- Name: treatments_photo_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_photo_id_seq', 1, false);


--
-- Name: treatments_sessionaddendum_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_sessionaddendum_id_seq', 1, false);


--
-- Name: treatments_treatmentsession_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_treatmentsession_id_seq', 1, false);


--
-- Name: treatments_zonetreatment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.treatments_zonetreatment_id_seq', 1, false);


--
-- Name: webhooks_webhookattempt_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhooks_webhookattempt_id_seq', 1, false);


--
-- Name: webhooks_webhookdelivery_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhooks_webhookdelivery_id_seq', 1, false);


--
-- Name: webhooks_webhooksubscription_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhooks_webhooksubscription_id_seq', 1, false);


--
-- Name: accounts_user accounts_user_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user
    ADD CONSTRAINT accounts_user_email_key UNIQUE (email);


--
-- Name: accounts_user_groups accounts_user_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_groups
    ADD CONSTRAINT accounts_user_groups_pkey PRIMARY KEY (id);


--
-- Name: accounts_user_groups accounts_user_groups_user_id_group_id_59c0b32f_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_groups
    ADD CONSTRAINT accounts_user_groups_user_id_group_id_59c0b32f_uniq UNIQUE (user_id, group_id);


--
-- Name: accounts_user accounts_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user
    ADD CONSTRAINT accounts_user_pkey PRIMARY KEY (id);


--
-- Name: accounts_user_user_permissions accounts_user_user_permi_user_id_permission_id_2ab516c2_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_user_permissions
    ADD CONSTRAINT accounts_user_user_permi_user_id_permission_id_2ab516c2_uniq UNIQUE (user_id, permission_id);


--
-- Name: accounts_user_user_permissions accounts_user_user_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_user_permissions
    ADD CONSTRAINT accounts_user_user_permissions_pkey PRIMARY KEY (id);


--
-- Name: api_apitoken api_apitoken_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_apitoken
    ADD CONSTRAINT api_apitoken_pkey PRIMARY KEY (id);


--
-- Name: api_apitoken api_apitoken_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_apitoken
    ADD CONSTRAINT api_apitoken_public_id_key UNIQUE (public_id);


--
-- Name: api_apitoken api_apitoken_secret_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_apitoken
    ADD CONSTRAINT api_apitoken_secret_sha256_key UNIQUE (secret_sha256);


--
-- Name: api_idempotencykey api_idempotencykey_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_idempotencykey
    ADD CONSTRAINT api_idempotencykey_pkey PRIMARY KEY (id);


--
-- Name: audit_auditevent audit_auditevent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_auditevent
    ADD CONSTRAINT audit_auditevent_pkey PRIMARY KEY (id);


--
-- Name: auth_group auth_group_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group
    ADD CONSTRAINT auth_group_name_key UNIQUE (name);


--
-- Name: auth_group_permissions auth_group_permissions_group_id_permission_id_0cd325b0_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_group_id_permission_id_0cd325b0_uniq UNIQUE (group_id, permission_id);


--
-- Name: auth_group_permissions auth_group_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_pkey PRIMARY KEY (id);


--
-- Name: auth_group auth_group_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group
    ADD CONSTRAINT auth_group_pkey PRIMARY KEY (id);


--
-- Name: auth_permission auth_permission_content_type_id_codename_01ab375a_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_permission
    ADD CONSTRAINT auth_permission_content_type_id_codename_01ab375a_uniq UNIQUE (content_type_id, codename);


--
-- Name: auth_permission auth_permission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_permission
    ADD CONSTRAINT auth_permission_pkey PRIMARY KEY (id);


--
-- Name: axes_accessattempt axes_accessattempt_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.axes_accessattempt
    ADD CONSTRAINT axes_accessattempt_pkey PRIMARY KEY (id);


--
-- Name: axes_accessattempt axes_accessattempt_username_ip_address_user_agent_8ea22282_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.axes_accessattempt
    ADD CONSTRAINT axes_accessattempt_username_ip_address_user_agent_8ea22282_uniq UNIQUE (username, ip_address, user_agent);


--
-- Name: axes_accessattemptexpiration axes_accessattemptexpiration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.axes_accessattemptexpiration
    ADD CONSTRAINT axes_accessattemptexpiration_pkey PRIMARY KEY (access_attempt_id);


--
-- Name: axes_accessfailurelog axes_accessfailurelog_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.axes_accessfailurelog
    ADD CONSTRAINT axes_accessfailurelog_pkey PRIMARY KEY (id);


--
-- Name: axes_accesslog axes_accesslog_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.axes_accesslog
    ADD CONSTRAINT axes_accesslog_pkey PRIMARY KEY (id);


--
-- Name: treatments_cartridge cartridge_serial_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_cartridge
    ADD CONSTRAINT cartridge_serial_unique UNIQUE (organisation_id, serial);


--
-- Name: clients_client clients_client_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_client
    ADD CONSTRAINT clients_client_pkey PRIMARY KEY (id);


--
-- Name: clients_client clients_client_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_client
    ADD CONSTRAINT clients_client_public_id_key UNIQUE (public_id);


--
-- Name: clients_marketingconsent clients_marketingconsent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_marketingconsent
    ADD CONSTRAINT clients_marketingconsent_pkey PRIMARY KEY (id);


--
-- Name: clients_questionnairesubmission clients_questionnairesubmission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_questionnairesubmission
    ADD CONSTRAINT clients_questionnairesubmission_pkey PRIMARY KEY (id);


--
-- Name: clients_screening clients_screening_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_screening
    ADD CONSTRAINT clients_screening_pkey PRIMARY KEY (id);


--
-- Name: clinics_closure clinics_closure_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_closure
    ADD CONSTRAINT clinics_closure_pkey PRIMARY KEY (id);


--
-- Name: clinics_device_needle_configurations clinics_device_needle_co_device_id_needleconfigur_b7471a6d_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_device_needle_configurations
    ADD CONSTRAINT clinics_device_needle_co_device_id_needleconfigur_b7471a6d_uniq UNIQUE (device_id, needleconfiguration_id);


--
-- Name: clinics_device_needle_configurations clinics_device_needle_configurations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_device_needle_configurations
    ADD CONSTRAINT clinics_device_needle_configurations_pkey PRIMARY KEY (id);


--
-- Name: clinics_device clinics_device_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_device
    ADD CONSTRAINT clinics_device_pkey PRIMARY KEY (id);


--
-- Name: clinics_location clinics_location_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_location
    ADD CONSTRAINT clinics_location_pkey PRIMARY KEY (id);


--
-- Name: clinics_location clinics_location_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_location
    ADD CONSTRAINT clinics_location_public_id_key UNIQUE (public_id);


--
-- Name: clinics_needleconfiguration clinics_needleconfiguration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_needleconfiguration
    ADD CONSTRAINT clinics_needleconfiguration_pkey PRIMARY KEY (id);


--
-- Name: clinics_openinghours clinics_openinghours_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_openinghours
    ADD CONSTRAINT clinics_openinghours_pkey PRIMARY KEY (id);


--
-- Name: clinics_organisation clinics_organisation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_organisation
    ADD CONSTRAINT clinics_organisation_pkey PRIMARY KEY (id);


--
-- Name: clinics_organisation clinics_organisation_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_organisation
    ADD CONSTRAINT clinics_organisation_slug_key UNIQUE (slug);


--
-- Name: clinics_room clinics_room_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_room
    ADD CONSTRAINT clinics_room_pkey PRIMARY KEY (id);


--
-- Name: clinics_staffmember_locations clinics_staffmember_loca_staffmember_id_location__a0767d6a_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember_locations
    ADD CONSTRAINT clinics_staffmember_loca_staffmember_id_location__a0767d6a_uniq UNIQUE (staffmember_id, location_id);


--
-- Name: clinics_staffmember_locations clinics_staffmember_locations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember_locations
    ADD CONSTRAINT clinics_staffmember_locations_pkey PRIMARY KEY (id);


--
-- Name: clinics_staffmember clinics_staffmember_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember
    ADD CONSTRAINT clinics_staffmember_pkey PRIMARY KEY (id);


--
-- Name: clinics_staffmember clinics_staffmember_public_id_ecae8346_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember
    ADD CONSTRAINT clinics_staffmember_public_id_ecae8346_uniq UNIQUE (public_id);


--
-- Name: clinics_staffmember clinics_staffmember_user_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember
    ADD CONSTRAINT clinics_staffmember_user_id_key UNIQUE (user_id);


--
-- Name: consents_consentform consent_form_name_unique_in_organisation; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentform
    ADD CONSTRAINT consent_form_name_unique_in_organisation UNIQUE (organisation_id, name);


--
-- Name: consents_consentformversion consent_version_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentformversion
    ADD CONSTRAINT consent_version_unique UNIQUE (form_id, version);


--
-- Name: consents_consentform consents_consentform_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentform
    ADD CONSTRAINT consents_consentform_pkey PRIMARY KEY (id);


--
-- Name: consents_consentform_services consents_consentform_ser_consentform_id_service_i_fb42bbc9_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentform_services
    ADD CONSTRAINT consents_consentform_ser_consentform_id_service_i_fb42bbc9_uniq UNIQUE (consentform_id, service_id);


--
-- Name: consents_consentform_services consents_consentform_services_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentform_services
    ADD CONSTRAINT consents_consentform_services_pkey PRIMARY KEY (id);


--
-- Name: consents_consentformversion consents_consentformversion_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentformversion
    ADD CONSTRAINT consents_consentformversion_pkey PRIMARY KEY (id);


--
-- Name: consents_consentformversion consents_consentformversion_public_id_f5487043_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentformversion
    ADD CONSTRAINT consents_consentformversion_public_id_f5487043_uniq UNIQUE (public_id);


--
-- Name: consents_signedconsent consents_signedconsent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_signedconsent
    ADD CONSTRAINT consents_signedconsent_pkey PRIMARY KEY (id);


--
-- Name: consents_signedconsent consents_signedconsent_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_signedconsent
    ADD CONSTRAINT consents_signedconsent_public_id_key UNIQUE (public_id);


--
-- Name: clinics_device device_serial_unique_in_location; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_device
    ADD CONSTRAINT device_serial_unique_in_location UNIQUE (location_id, serial_number);


--
-- Name: django_admin_log django_admin_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_admin_log
    ADD CONSTRAINT django_admin_log_pkey PRIMARY KEY (id);


--
-- Name: django_content_type django_content_type_app_label_model_76bd3d3b_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_content_type
    ADD CONSTRAINT django_content_type_app_label_model_76bd3d3b_uniq UNIQUE (app_label, model);


--
-- Name: django_content_type django_content_type_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_content_type
    ADD CONSTRAINT django_content_type_pkey PRIMARY KEY (id);


--
-- Name: django_migrations django_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_migrations
    ADD CONSTRAINT django_migrations_pkey PRIMARY KEY (id);


--
-- Name: django_session django_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_session
    ADD CONSTRAINT django_session_pkey PRIMARY KEY (session_key);


--
-- Name: django_tasks_database_dbtaskresult django_tasks_database_dbtaskresult_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_tasks_database_dbtaskresult
    ADD CONSTRAINT django_tasks_database_dbtaskresult_pkey PRIMARY KEY (id);


--
-- Name: imports_externalclientid external_client_id_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_externalclientid
    ADD CONSTRAINT external_client_id_unique UNIQUE (organisation_id, external_id);


--
-- Name: scheduling_hold hold_resources_never_overlap; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_hold
    ADD CONSTRAINT hold_resources_never_overlap EXCLUDE USING gist (kind WITH =, resource_id WITH =, tstzrange(starts_at, ends_at, '[)'::text) WITH &&) WHERE (active);


--
-- Name: api_idempotencykey idempotency_key_once_per_token; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_idempotencykey
    ADD CONSTRAINT idempotency_key_once_per_token UNIQUE (token_id, key);


--
-- Name: imports_importedbooking imported_booking_fingerprint_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_importedbooking
    ADD CONSTRAINT imported_booking_fingerprint_unique UNIQUE (organisation_id, fingerprint);


--
-- Name: imports_externalclientid imports_externalclientid_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_externalclientid
    ADD CONSTRAINT imports_externalclientid_pkey PRIMARY KEY (id);


--
-- Name: imports_importedbooking imports_importedbooking_booking_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_importedbooking
    ADD CONSTRAINT imports_importedbooking_booking_id_key UNIQUE (booking_id);


--
-- Name: imports_importedbooking imports_importedbooking_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_importedbooking
    ADD CONSTRAINT imports_importedbooking_pkey PRIMARY KEY (id);


--
-- Name: clinics_location location_slug_unique_in_organisation; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_location
    ADD CONSTRAINT location_slug_unique_in_organisation UNIQUE (organisation_id, slug);


--
-- Name: clinics_needleconfiguration needle_configuration_name_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_needleconfiguration
    ADD CONSTRAINT needle_configuration_name_unique UNIQUE (organisation_id, name);


--
-- Name: needlepoint_cache needlepoint_cache_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.needlepoint_cache
    ADD CONSTRAINT needlepoint_cache_pkey PRIMARY KEY (cache_key);


--
-- Name: notifications_calendarfeed notifications_calendarfeed_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_calendarfeed
    ADD CONSTRAINT notifications_calendarfeed_pkey PRIMARY KEY (id);


--
-- Name: notifications_calendarfeed notifications_calendarfeed_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_calendarfeed
    ADD CONSTRAINT notifications_calendarfeed_token_hash_key UNIQUE (token_hash);


--
-- Name: notifications_campaign notifications_campaign_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_campaign
    ADD CONSTRAINT notifications_campaign_pkey PRIMARY KEY (id);


--
-- Name: notifications_message notifications_message_idempotency_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_message
    ADD CONSTRAINT notifications_message_idempotency_key_key UNIQUE (idempotency_key);


--
-- Name: notifications_message notifications_message_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_message
    ADD CONSTRAINT notifications_message_pkey PRIMARY KEY (id);


--
-- Name: notifications_messagewording notifications_messagewording_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_messagewording
    ADD CONSTRAINT notifications_messagewording_pkey PRIMARY KEY (id);


--
-- Name: notifications_workerheartbeat notifications_workerheartbeat_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_workerheartbeat
    ADD CONSTRAINT notifications_workerheartbeat_pkey PRIMARY KEY (id);


--
-- Name: notifications_workerheartbeat notifications_workerheartbeat_worker_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_workerheartbeat
    ADD CONSTRAINT notifications_workerheartbeat_worker_id_key UNIQUE (worker_id);


--
-- Name: scheduling_hold one_hold_per_kind_per_booking; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_hold
    ADD CONSTRAINT one_hold_per_kind_per_booking UNIQUE (booking_id, kind);


--
-- Name: treatments_zonetreatment one_record_per_zone_per_session; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_zonetreatment
    ADD CONSTRAINT one_record_per_zone_per_session UNIQUE (session_id, zone);


--
-- Name: consents_signedconsent one_signature_per_client_and_version; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_signedconsent
    ADD CONSTRAINT one_signature_per_client_and_version UNIQUE (client_id, form_version_id);


--
-- Name: notifications_messagewording one_wording_per_message; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_messagewording
    ADD CONSTRAINT one_wording_per_message UNIQUE (organisation_id, kind, channel);


--
-- Name: clinics_openinghours opening_hours_unique_start; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_openinghours
    ADD CONSTRAINT opening_hours_unique_start UNIQUE (location_id, weekday, opens);


--
-- Name: otp_static_staticdevice otp_static_staticdevice_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_static_staticdevice
    ADD CONSTRAINT otp_static_staticdevice_pkey PRIMARY KEY (id);


--
-- Name: otp_static_statictoken otp_static_statictoken_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_static_statictoken
    ADD CONSTRAINT otp_static_statictoken_pkey PRIMARY KEY (id);


--
-- Name: otp_totp_totpdevice otp_totp_totpdevice_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_totp_totpdevice
    ADD CONSTRAINT otp_totp_totpdevice_pkey PRIMARY KEY (id);


--
-- Name: public_onlinerequest public_onlinerequest_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.public_onlinerequest
    ADD CONSTRAINT public_onlinerequest_pkey PRIMARY KEY (id);


--
-- Name: public_portallink public_portallink_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.public_portallink
    ADD CONSTRAINT public_portallink_pkey PRIMARY KEY (id);


--
-- Name: public_portallink public_portallink_token_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.public_portallink
    ADD CONSTRAINT public_portallink_token_sha256_key UNIQUE (token_sha256);


--
-- Name: clients_questionnairesubmission questionnaire_version_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_questionnairesubmission
    ADD CONSTRAINT questionnaire_version_unique UNIQUE (client_id, version);


--
-- Name: clinics_room room_name_unique_in_location; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_room
    ADD CONSTRAINT room_name_unique_in_location UNIQUE (location_id, name);


--
-- Name: scheduling_booking scheduling_booking_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_pkey PRIMARY KEY (id);


--
-- Name: scheduling_booking scheduling_booking_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_public_id_key UNIQUE (public_id);


--
-- Name: scheduling_bookingevent scheduling_bookingevent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_bookingevent
    ADD CONSTRAINT scheduling_bookingevent_pkey PRIMARY KEY (id);


--
-- Name: scheduling_course scheduling_course_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_course
    ADD CONSTRAINT scheduling_course_pkey PRIMARY KEY (id);


--
-- Name: scheduling_hold scheduling_hold_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_hold
    ADD CONSTRAINT scheduling_hold_pkey PRIMARY KEY (id);


--
-- Name: scheduling_service scheduling_service_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_service
    ADD CONSTRAINT scheduling_service_pkey PRIMARY KEY (id);


--
-- Name: scheduling_service_practitioners scheduling_service_pract_service_id_staffmember_i_b5d27cfb_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_service_practitioners
    ADD CONSTRAINT scheduling_service_pract_service_id_staffmember_i_b5d27cfb_uniq UNIQUE (service_id, staffmember_id);


--
-- Name: scheduling_service_practitioners scheduling_service_practitioners_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_service_practitioners
    ADD CONSTRAINT scheduling_service_practitioners_pkey PRIMARY KEY (id);


--
-- Name: scheduling_service scheduling_service_public_id_bccf2271_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_service
    ADD CONSTRAINT scheduling_service_public_id_bccf2271_uniq UNIQUE (public_id);


--
-- Name: scheduling_setuptoken scheduling_setuptoken_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_setuptoken
    ADD CONSTRAINT scheduling_setuptoken_pkey PRIMARY KEY (id);


--
-- Name: scheduling_shiftexception scheduling_shiftexception_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_shiftexception
    ADD CONSTRAINT scheduling_shiftexception_pkey PRIMARY KEY (id);


--
-- Name: scheduling_timeoff scheduling_timeoff_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_timeoff
    ADD CONSTRAINT scheduling_timeoff_pkey PRIMARY KEY (id);


--
-- Name: scheduling_waitlistentry scheduling_waitlistentry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_waitlistentry
    ADD CONSTRAINT scheduling_waitlistentry_pkey PRIMARY KEY (id);


--
-- Name: scheduling_waitlistoffer scheduling_waitlistoffer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_waitlistoffer
    ADD CONSTRAINT scheduling_waitlistoffer_pkey PRIMARY KEY (id);


--
-- Name: scheduling_workingperiod scheduling_workingperiod_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_workingperiod
    ADD CONSTRAINT scheduling_workingperiod_pkey PRIMARY KEY (id);


--
-- Name: treatments_adverseevent treatments_adverseevent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_adverseevent
    ADD CONSTRAINT treatments_adverseevent_pkey PRIMARY KEY (id);


--
-- Name: treatments_cartridge treatments_cartridge_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_cartridge
    ADD CONSTRAINT treatments_cartridge_pkey PRIMARY KEY (id);


--
-- Name: treatments_countersignature treatments_countersignature_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_countersignature
    ADD CONSTRAINT treatments_countersignature_pkey PRIMARY KEY (id);


--
-- Name: treatments_countersignature treatments_countersignature_session_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_countersignature
    ADD CONSTRAINT treatments_countersignature_session_id_key UNIQUE (session_id);


--
-- Name: treatments_outcome treatments_outcome_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_outcome
    ADD CONSTRAINT treatments_outcome_pkey PRIMARY KEY (id);


--
-- Name: treatments_outcome treatments_outcome_session_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_outcome
    ADD CONSTRAINT treatments_outcome_session_id_key UNIQUE (session_id);


--
-- Name: treatments_photo treatments_photo_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_photo
    ADD CONSTRAINT treatments_photo_pkey PRIMARY KEY (id);


--
-- Name: treatments_photo treatments_photo_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_photo
    ADD CONSTRAINT treatments_photo_public_id_key UNIQUE (public_id);


--
-- Name: treatments_sessionaddendum treatments_sessionaddendum_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_sessionaddendum
    ADD CONSTRAINT treatments_sessionaddendum_pkey PRIMARY KEY (id);


--
-- Name: treatments_treatmentsession treatments_treatmentsession_booking_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatmentsession_booking_id_key UNIQUE (booking_id);


--
-- Name: treatments_treatmentsession treatments_treatmentsession_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatmentsession_pkey PRIMARY KEY (id);


--
-- Name: treatments_treatmentsession treatments_treatmentsession_public_id_165b3700_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatmentsession_public_id_165b3700_uniq UNIQUE (public_id);


--
-- Name: treatments_zonetreatment treatments_zonetreatment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_zonetreatment
    ADD CONSTRAINT treatments_zonetreatment_pkey PRIMARY KEY (id);


--
-- Name: webhooks_webhookattempt webhooks_webhookattempt_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks_webhookattempt
    ADD CONSTRAINT webhooks_webhookattempt_pkey PRIMARY KEY (id);


--
-- Name: webhooks_webhookdelivery webhooks_webhookdelivery_idempotency_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks_webhookdelivery
    ADD CONSTRAINT webhooks_webhookdelivery_idempotency_key_key UNIQUE (idempotency_key);


--
-- Name: webhooks_webhookdelivery webhooks_webhookdelivery_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks_webhookdelivery
    ADD CONSTRAINT webhooks_webhookdelivery_pkey PRIMARY KEY (id);


--
-- Name: webhooks_webhooksubscription webhooks_webhooksubscription_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks_webhooksubscription
    ADD CONSTRAINT webhooks_webhooksubscription_pkey PRIMARY KEY (id);


--
-- Name: accounts_user_email_b2644a56_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX accounts_user_email_b2644a56_like ON public.accounts_user USING btree (email varchar_pattern_ops);


--
-- Name: accounts_user_groups_group_id_bd11a704; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX accounts_user_groups_group_id_bd11a704 ON public.accounts_user_groups USING btree (group_id);


--
-- Name: accounts_user_groups_user_id_52b62117; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX accounts_user_groups_user_id_52b62117 ON public.accounts_user_groups USING btree (user_id);


--
-- Name: accounts_user_user_permissions_permission_id_113bb443; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX accounts_user_user_permissions_permission_id_113bb443 ON public.accounts_user_user_permissions USING btree (permission_id);


--
-- Name: accounts_user_user_permissions_user_id_e4f0a161; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX accounts_user_user_permissions_user_id_e4f0a161 ON public.accounts_user_user_permissions USING btree (user_id);


--
-- Name: active_holds_by_start; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX active_holds_by_start ON public.scheduling_hold USING btree (kind, resource_id, starts_at) WHERE active;


--
-- Name: api_apitoken_secret_sha256_c7006a8e_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_apitoken_secret_sha256_c7006a8e_like ON public.api_apitoken USING btree (secret_sha256 varchar_pattern_ops);


--
-- Name: api_apitoken_user_id_9cffaf33; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_apitoken_user_id_9cffaf33 ON public.api_apitoken USING btree (user_id);


--
-- Name: api_idempot_organis_ba7d4a_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_idempot_organis_ba7d4a_idx ON public.api_idempotencykey USING btree (organisation_id, expires_at);


--
-- Name: api_idempotencykey_organisation_id_203e2ad6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_idempotencykey_organisation_id_203e2ad6 ON public.api_idempotencykey USING btree (organisation_id);


--
-- Name: api_idempotencykey_token_id_156488ec; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_idempotencykey_token_id_156488ec ON public.api_idempotencykey USING btree (token_id);


--
-- Name: audit_auditevent_at_f461ba89; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_auditevent_at_f461ba89 ON public.audit_auditevent USING btree (at);


--
-- Name: audit_auditevent_client_id_b7cf9ec4; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_auditevent_client_id_b7cf9ec4 ON public.audit_auditevent USING btree (client_id);


--
-- Name: audit_auditevent_organisation_id_11de86af; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_auditevent_organisation_id_11de86af ON public.audit_auditevent USING btree (organisation_id);


--
-- Name: audit_auditevent_user_id_871f21a9; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_auditevent_user_id_871f21a9 ON public.audit_auditevent USING btree (user_id);


--
-- Name: audit_by_client; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_by_client ON public.audit_auditevent USING btree (client_id, at DESC);


--
-- Name: audit_by_organisation; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_by_organisation ON public.audit_auditevent USING btree (organisation_id, at DESC);


--
-- Name: auth_group_name_a6ea08ec_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_name_a6ea08ec_like ON public.auth_group USING btree (name varchar_pattern_ops);


--
-- Name: auth_group_permissions_group_id_b120cbf9; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_permissions_group_id_b120cbf9 ON public.auth_group_permissions USING btree (group_id);


--
-- Name: auth_group_permissions_permission_id_84c5c92e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_permissions_permission_id_84c5c92e ON public.auth_group_permissions USING btree (permission_id);


--
-- Name: auth_permission_content_type_id_2f476e4b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_permission_content_type_id_2f476e4b ON public.auth_permission USING btree (content_type_id);


--
-- Name: axes_accessattempt_ip_address_10922d9c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessattempt_ip_address_10922d9c ON public.axes_accessattempt USING btree (ip_address);


--
-- Name: axes_accessattempt_user_agent_ad89678b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessattempt_user_agent_ad89678b ON public.axes_accessattempt USING btree (user_agent);


--
-- Name: axes_accessattempt_user_agent_ad89678b_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessattempt_user_agent_ad89678b_like ON public.axes_accessattempt USING btree (user_agent varchar_pattern_ops);


--
-- Name: axes_accessattempt_username_3f2d4ca0; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessattempt_username_3f2d4ca0 ON public.axes_accessattempt USING btree (username);


--
-- Name: axes_accessattempt_username_3f2d4ca0_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessattempt_username_3f2d4ca0_like ON public.axes_accessattempt USING btree (username varchar_pattern_ops);


--
-- Name: axes_accessfailurelog_ip_address_2e9f5a7f; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessfailurelog_ip_address_2e9f5a7f ON public.axes_accessfailurelog USING btree (ip_address);


--
-- Name: axes_accessfailurelog_user_agent_ea145dda; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessfailurelog_user_agent_ea145dda ON public.axes_accessfailurelog USING btree (user_agent);


--
-- Name: axes_accessfailurelog_user_agent_ea145dda_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessfailurelog_user_agent_ea145dda_like ON public.axes_accessfailurelog USING btree (user_agent varchar_pattern_ops);


--
-- Name: axes_accessfailurelog_username_a8b7e8a4; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessfailurelog_username_a8b7e8a4 ON public.axes_accessfailurelog USING btree (username);


--
-- Name: axes_accessfailurelog_username_a8b7e8a4_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accessfailurelog_username_a8b7e8a4_like ON public.axes_accessfailurelog USING btree (username varchar_pattern_ops);


--
-- Name: axes_accesslog_ip_address_86b417e5; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accesslog_ip_address_86b417e5 ON public.axes_accesslog USING btree (ip_address);


--
-- Name: axes_accesslog_user_agent_0e659004; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accesslog_user_agent_0e659004 ON public.axes_accesslog USING btree (user_agent);


--
-- Name: axes_accesslog_user_agent_0e659004_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accesslog_user_agent_0e659004_like ON public.axes_accesslog USING btree (user_agent varchar_pattern_ops);


--
-- Name: axes_accesslog_username_df93064b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accesslog_username_df93064b ON public.axes_accesslog USING btree (username);


--
-- Name: axes_accesslog_username_df93064b_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX axes_accesslog_username_df93064b_like ON public.axes_accesslog USING btree (username varchar_pattern_ops);


--
-- Name: client_email_unique_in_organisation; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX client_email_unique_in_organisation ON public.clients_client USING btree (organisation_id, email) WHERE (NOT ((email)::text = ''::text));


--
-- Name: clients_cli_organis_954e54_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_cli_organis_954e54_idx ON public.clients_client USING btree (organisation_id, last_name, first_name);


--
-- Name: clients_client_home_location_id_93d5c056; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_client_home_location_id_93d5c056 ON public.clients_client USING btree (home_location_id);


--
-- Name: clients_client_organisation_id_641b9f26; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_client_organisation_id_641b9f26 ON public.clients_client USING btree (organisation_id);


--
-- Name: clients_marketingconsent_client_id_e1fdac34; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_marketingconsent_client_id_e1fdac34 ON public.clients_marketingconsent USING btree (client_id);


--
-- Name: clients_marketingconsent_organisation_id_c563cdf3; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_marketingconsent_organisation_id_c563cdf3 ON public.clients_marketingconsent USING btree (organisation_id);


--
-- Name: clients_questionnairesubmission_client_id_ba3d2886; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_questionnairesubmission_client_id_ba3d2886 ON public.clients_questionnairesubmission USING btree (client_id);


--
-- Name: clients_questionnairesubmission_submitted_by_id_a7254d61; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_questionnairesubmission_submitted_by_id_a7254d61 ON public.clients_questionnairesubmission USING btree (submitted_by_id);


--
-- Name: clients_scr_outcome_2bff62_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_scr_outcome_2bff62_idx ON public.clients_screening USING btree (outcome, created_at);


--
-- Name: clients_screening_client_id_768520df; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_screening_client_id_768520df ON public.clients_screening USING btree (client_id);


--
-- Name: clients_screening_screened_by_id_22360d7f; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_screening_screened_by_id_22360d7f ON public.clients_screening USING btree (screened_by_id);


--
-- Name: clients_screening_submission_id_d8dccba0; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clients_screening_submission_id_d8dccba0 ON public.clients_screening USING btree (submission_id);


--
-- Name: clinics_closure_location_id_edf5f3f4; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_closure_location_id_edf5f3f4 ON public.clinics_closure USING btree (location_id);


--
-- Name: clinics_device_location_id_2c40ac26; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_device_location_id_2c40ac26 ON public.clinics_device USING btree (location_id);


--
-- Name: clinics_device_needle_conf_needleconfiguration_id_a4c72738; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_device_needle_conf_needleconfiguration_id_a4c72738 ON public.clinics_device_needle_configurations USING btree (needleconfiguration_id);


--
-- Name: clinics_device_needle_configurations_device_id_c760f20e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_device_needle_configurations_device_id_c760f20e ON public.clinics_device_needle_configurations USING btree (device_id);


--
-- Name: clinics_location_organisation_id_0276fd98; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_location_organisation_id_0276fd98 ON public.clinics_location USING btree (organisation_id);


--
-- Name: clinics_location_slug_24beeb61; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_location_slug_24beeb61 ON public.clinics_location USING btree (slug);


--
-- Name: clinics_location_slug_24beeb61_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_location_slug_24beeb61_like ON public.clinics_location USING btree (slug varchar_pattern_ops);


--
-- Name: clinics_needleconfiguration_organisation_id_c39845f7; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_needleconfiguration_organisation_id_c39845f7 ON public.clinics_needleconfiguration USING btree (organisation_id);


--
-- Name: clinics_openinghours_location_id_2632f78f; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_openinghours_location_id_2632f78f ON public.clinics_openinghours USING btree (location_id);


--
-- Name: clinics_organisation_slug_8d13327a_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_organisation_slug_8d13327a_like ON public.clinics_organisation USING btree (slug varchar_pattern_ops);


--
-- Name: clinics_room_location_id_13e54c63; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_room_location_id_13e54c63 ON public.clinics_room USING btree (location_id);


--
-- Name: clinics_staffmember_locations_location_id_159e0a98; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_staffmember_locations_location_id_159e0a98 ON public.clinics_staffmember_locations USING btree (location_id);


--
-- Name: clinics_staffmember_locations_staffmember_id_23a1e9c2; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_staffmember_locations_staffmember_id_23a1e9c2 ON public.clinics_staffmember_locations USING btree (staffmember_id);


--
-- Name: clinics_staffmember_organisation_id_a6b70f60; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX clinics_staffmember_organisation_id_a6b70f60 ON public.clinics_staffmember USING btree (organisation_id);


--
-- Name: consents_consentform_organisation_id_93fcb8bb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consents_consentform_organisation_id_93fcb8bb ON public.consents_consentform USING btree (organisation_id);


--
-- Name: consents_consentform_services_consentform_id_16ea97ab; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consents_consentform_services_consentform_id_16ea97ab ON public.consents_consentform_services USING btree (consentform_id);


--
-- Name: consents_consentform_services_service_id_ff7648eb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consents_consentform_services_service_id_ff7648eb ON public.consents_consentform_services USING btree (service_id);


--
-- Name: consents_consentformversion_form_id_c015032e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consents_consentformversion_form_id_c015032e ON public.consents_consentformversion USING btree (form_id);


--
-- Name: consents_signedconsent_client_id_34486e4c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consents_signedconsent_client_id_34486e4c ON public.consents_signedconsent USING btree (client_id);


--
-- Name: consents_signedconsent_form_version_id_2e7d5d4d; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX consents_signedconsent_form_version_id_2e7d5d4d ON public.consents_signedconsent USING btree (form_version_id);


--
-- Name: django_admin_log_content_type_id_c4bce8eb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_admin_log_content_type_id_c4bce8eb ON public.django_admin_log USING btree (content_type_id);


--
-- Name: django_admin_log_user_id_c564eba6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_admin_log_user_id_c564eba6 ON public.django_admin_log USING btree (user_id);


--
-- Name: django_session_expire_date_a5c62663; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_session_expire_date_a5c62663 ON public.django_session USING btree (expire_date);


--
-- Name: django_session_session_key_c0390e0f_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_session_session_key_c0390e0f_like ON public.django_session USING btree (session_key varchar_pattern_ops);


--
-- Name: django_task_backend_071754_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_task_backend_071754_idx ON public.django_tasks_database_dbtaskresult USING btree (backend_name);


--
-- Name: django_task_queue_n_99c321_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_task_queue_n_99c321_idx ON public.django_tasks_database_dbtaskresult USING btree (queue_name);


--
-- Name: imported_booking_source_id_unique; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX imported_booking_source_id_unique ON public.imports_importedbooking USING btree (organisation_id, source_id) WHERE (NOT ((source_id)::text = ''::text));


--
-- Name: imports_externalclientid_client_id_35182b29; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX imports_externalclientid_client_id_35182b29 ON public.imports_externalclientid USING btree (client_id);


--
-- Name: imports_externalclientid_organisation_id_7262e55b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX imports_externalclientid_organisation_id_7262e55b ON public.imports_externalclientid USING btree (organisation_id);


--
-- Name: imports_importedbooking_organisation_id_5862cf71; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX imports_importedbooking_organisation_id_5862cf71 ON public.imports_importedbooking USING btree (organisation_id);


--
-- Name: messages_by_subject; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_by_subject ON public.notifications_message USING btree (subject, status);


--
-- Name: messages_waiting_by_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_waiting_by_time ON public.notifications_message USING btree (next_attempt_at) WHERE ((status)::text = ANY ((ARRAY['pending'::character varying, 'sending'::character varying])::text[]));


--
-- Name: needlepoint_cache_expires; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX needlepoint_cache_expires ON public.needlepoint_cache USING btree (expires);


--
-- Name: notifications_calendarfeed_staff_id_0deb7dcf; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_calendarfeed_staff_id_0deb7dcf ON public.notifications_calendarfeed USING btree (staff_id);


--
-- Name: notifications_calendarfeed_token_hash_6d467a6f_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_calendarfeed_token_hash_6d467a6f_like ON public.notifications_calendarfeed USING btree (token_hash varchar_pattern_ops);


--
-- Name: notifications_campaign_created_by_id_b15fb582; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_campaign_created_by_id_b15fb582 ON public.notifications_campaign USING btree (created_by_id);


--
-- Name: notifications_campaign_organisation_id_8c61da0c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_campaign_organisation_id_8c61da0c ON public.notifications_campaign USING btree (organisation_id);


--
-- Name: notifications_message_client_id_68e232a0; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_message_client_id_68e232a0 ON public.notifications_message USING btree (client_id);


--
-- Name: notifications_message_idempotency_key_78ab982c_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_message_idempotency_key_78ab982c_like ON public.notifications_message USING btree (idempotency_key varchar_pattern_ops);


--
-- Name: notifications_message_organisation_id_e19589c4; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_message_organisation_id_e19589c4 ON public.notifications_message USING btree (organisation_id);


--
-- Name: notifications_messagewording_organisation_id_c7f077b6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_messagewording_organisation_id_c7f077b6 ON public.notifications_messagewording USING btree (organisation_id);


--
-- Name: notifications_workerheartbeat_worker_id_ea69ae19_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_workerheartbeat_worker_id_ea69ae19_like ON public.notifications_workerheartbeat USING btree (worker_id varchar_pattern_ops);


--
-- Name: one_live_marketing_consent_per_address; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX one_live_marketing_consent_per_address ON public.clients_marketingconsent USING btree (organisation_id, channel, address) WHERE (withdrawn_at IS NULL);


--
-- Name: one_open_offer_per_waitlist_entry; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX one_open_offer_per_waitlist_entry ON public.scheduling_waitlistoffer USING btree (entry_id) WHERE ((status)::text = 'open'::text);


--
-- Name: otp_static_staticdevice_user_id_7f9cff2b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX otp_static_staticdevice_user_id_7f9cff2b ON public.otp_static_staticdevice USING btree (user_id);


--
-- Name: otp_static_statictoken_device_id_74b7c7d1; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX otp_static_statictoken_device_id_74b7c7d1 ON public.otp_static_statictoken USING btree (device_id);


--
-- Name: otp_static_statictoken_token_d0a51866; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX otp_static_statictoken_token_d0a51866 ON public.otp_static_statictoken USING btree (token);


--
-- Name: otp_static_statictoken_token_d0a51866_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX otp_static_statictoken_token_d0a51866_like ON public.otp_static_statictoken USING btree (token varchar_pattern_ops);


--
-- Name: otp_totp_totpdevice_user_id_0fb18292; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX otp_totp_totpdevice_user_id_0fb18292 ON public.otp_totp_totpdevice USING btree (user_id);


--
-- Name: public_onlinerequest_client_id_1087591a; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX public_onlinerequest_client_id_1087591a ON public.public_onlinerequest USING btree (client_id);


--
-- Name: public_onlinerequest_screening_id_a19195cd; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX public_onlinerequest_screening_id_a19195cd ON public.public_onlinerequest USING btree (screening_id);


--
-- Name: public_onlinerequest_service_id_7f1a9e2d; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX public_onlinerequest_service_id_7f1a9e2d ON public.public_onlinerequest USING btree (service_id);


--
-- Name: public_portallink_client_id_ac61f04b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX public_portallink_client_id_ac61f04b ON public.public_portallink USING btree (client_id);


--
-- Name: public_portallink_token_sha256_d47bd5a9_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX public_portallink_token_sha256_d47bd5a9_like ON public.public_portallink USING btree (token_sha256 varchar_pattern_ops);


--
-- Name: scheduling__client__6a057f_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling__client__6a057f_idx ON public.scheduling_booking USING btree (client_id, starts_at);


--
-- Name: scheduling__locatio_73c115_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling__locatio_73c115_idx ON public.scheduling_booking USING btree (location_id, starts_at);


--
-- Name: scheduling_booking_client_id_bfd9941f; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_client_id_bfd9941f ON public.scheduling_booking USING btree (client_id);


--
-- Name: scheduling_booking_course_id_1b70d702; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_course_id_1b70d702 ON public.scheduling_booking USING btree (course_id);


--
-- Name: scheduling_booking_created_by_id_9916aa7c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_created_by_id_9916aa7c ON public.scheduling_booking USING btree (created_by_id);


--
-- Name: scheduling_booking_device_id_0946b48d; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_device_id_0946b48d ON public.scheduling_booking USING btree (device_id);


--
-- Name: scheduling_booking_location_id_60e8683b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_location_id_60e8683b ON public.scheduling_booking USING btree (location_id);


--
-- Name: scheduling_booking_practitioner_id_8194f3f3; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_practitioner_id_8194f3f3 ON public.scheduling_booking USING btree (practitioner_id);


--
-- Name: scheduling_booking_room_id_e39a1c06; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_room_id_e39a1c06 ON public.scheduling_booking USING btree (room_id);


--
-- Name: scheduling_booking_service_id_951475cc; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_booking_service_id_951475cc ON public.scheduling_booking USING btree (service_id);


--
-- Name: scheduling_bookingevent_booking_id_e977319e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_bookingevent_booking_id_e977319e ON public.scheduling_bookingevent USING btree (booking_id);


--
-- Name: scheduling_bookingevent_by_id_734858c6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_bookingevent_by_id_734858c6 ON public.scheduling_bookingevent USING btree (by_id);


--
-- Name: scheduling_course_client_id_3e4fa335; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_course_client_id_3e4fa335 ON public.scheduling_course USING btree (client_id);


--
-- Name: scheduling_course_created_by_id_2498bb13; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_course_created_by_id_2498bb13 ON public.scheduling_course USING btree (created_by_id);


--
-- Name: scheduling_course_service_id_88f95eda; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_course_service_id_88f95eda ON public.scheduling_course USING btree (service_id);


--
-- Name: scheduling_hold_booking_id_4d4964c9; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_hold_booking_id_4d4964c9 ON public.scheduling_hold USING btree (booking_id);


--
-- Name: scheduling_service_location_id_c2898485; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_service_location_id_c2898485 ON public.scheduling_service USING btree (location_id);


--
-- Name: scheduling_service_practitioners_service_id_6c0494fa; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_service_practitioners_service_id_6c0494fa ON public.scheduling_service_practitioners USING btree (service_id);


--
-- Name: scheduling_service_practitioners_staffmember_id_7b5af2a5; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_service_practitioners_staffmember_id_7b5af2a5 ON public.scheduling_service_practitioners USING btree (staffmember_id);


--
-- Name: scheduling_shiftexception_location_id_abf863c3; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_shiftexception_location_id_abf863c3 ON public.scheduling_shiftexception USING btree (location_id);


--
-- Name: scheduling_shiftexception_staff_id_1112f5c6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_shiftexception_staff_id_1112f5c6 ON public.scheduling_shiftexception USING btree (staff_id);


--
-- Name: scheduling_timeoff_staff_id_edad787a; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_timeoff_staff_id_edad787a ON public.scheduling_timeoff USING btree (staff_id);


--
-- Name: scheduling_waitlistentry_client_id_4f139738; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_waitlistentry_client_id_4f139738 ON public.scheduling_waitlistentry USING btree (client_id);


--
-- Name: scheduling_waitlistentry_service_id_88b10565; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_waitlistentry_service_id_88b10565 ON public.scheduling_waitlistentry USING btree (service_id);


--
-- Name: scheduling_waitlistoffer_booking_id_a1ca9beb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_waitlistoffer_booking_id_a1ca9beb ON public.scheduling_waitlistoffer USING btree (booking_id);


--
-- Name: scheduling_waitlistoffer_entry_id_88f38f54; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_waitlistoffer_entry_id_88f38f54 ON public.scheduling_waitlistoffer USING btree (entry_id);


--
-- Name: scheduling_waitlistoffer_practitioner_id_9cee537b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_waitlistoffer_practitioner_id_9cee537b ON public.scheduling_waitlistoffer USING btree (practitioner_id);


--
-- Name: scheduling_workingperiod_location_id_889b08ba; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_workingperiod_location_id_889b08ba ON public.scheduling_workingperiod USING btree (location_id);


--
-- Name: scheduling_workingperiod_staff_id_0ec864f5; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX scheduling_workingperiod_staff_id_0ec864f5 ON public.scheduling_workingperiod USING btree (staff_id);


--
-- Name: tasks_db_new_ordering_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_db_new_ordering_idx ON public.django_tasks_database_dbtaskresult USING btree (status, priority DESC, run_after, enqueued_at) WHERE ((status)::text = 'READY'::text);


--
-- Name: treatments__client__499a35_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments__client__499a35_idx ON public.treatments_treatmentsession USING btree (client_id, performed_on);


--
-- Name: treatments__organis_a563d9_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments__organis_a563d9_idx ON public.treatments_cartridge USING btree (organisation_id, lot);


--
-- Name: treatments_adverseevent_client_id_ce58f6b2; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_adverseevent_client_id_ce58f6b2 ON public.treatments_adverseevent USING btree (client_id);


--
-- Name: treatments_adverseevent_recorded_by_id_3ae3fdbb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_adverseevent_recorded_by_id_3ae3fdbb ON public.treatments_adverseevent USING btree (recorded_by_id);


--
-- Name: treatments_adverseevent_session_id_ddd32e86; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_adverseevent_session_id_ddd32e86 ON public.treatments_adverseevent USING btree (session_id);


--
-- Name: treatments_cartridge_configuration_id_01dd52be; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_cartridge_configuration_id_01dd52be ON public.treatments_cartridge USING btree (configuration_id);


--
-- Name: treatments_cartridge_organisation_id_8370b2a6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_cartridge_organisation_id_8370b2a6 ON public.treatments_cartridge USING btree (organisation_id);


--
-- Name: treatments_cartridge_session_id_ebf462f2; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_cartridge_session_id_ebf462f2 ON public.treatments_cartridge USING btree (session_id);


--
-- Name: treatments_countersignature_by_id_1aacc0cd; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_countersignature_by_id_1aacc0cd ON public.treatments_countersignature USING btree (by_id);


--
-- Name: treatments_outcome_recorded_by_id_5defc3ca; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_outcome_recorded_by_id_5defc3ca ON public.treatments_outcome USING btree (recorded_by_id);


--
-- Name: treatments_photo_session_id_d372839e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_photo_session_id_d372839e ON public.treatments_photo USING btree (session_id);


--
-- Name: treatments_photo_uploaded_by_id_c1842b00; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_photo_uploaded_by_id_c1842b00 ON public.treatments_photo USING btree (uploaded_by_id);


--
-- Name: treatments_sessionaddendum_by_id_5b5ba158; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_sessionaddendum_by_id_5b5ba158 ON public.treatments_sessionaddendum USING btree (by_id);


--
-- Name: treatments_sessionaddendum_session_id_400888aa; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_sessionaddendum_session_id_400888aa ON public.treatments_sessionaddendum USING btree (session_id);


--
-- Name: treatments_treatmentsession_client_id_7adab39c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_treatmentsession_client_id_7adab39c ON public.treatments_treatmentsession USING btree (client_id);


--
-- Name: treatments_treatmentsession_completed_by_id_3f48cedb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_treatmentsession_completed_by_id_3f48cedb ON public.treatments_treatmentsession USING btree (completed_by_id);


--
-- Name: treatments_treatmentsession_device_id_bcba829b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_treatmentsession_device_id_bcba829b ON public.treatments_treatmentsession USING btree (device_id);


--
-- Name: treatments_treatmentsession_location_id_94594bea; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_treatmentsession_location_id_94594bea ON public.treatments_treatmentsession USING btree (location_id);


--
-- Name: treatments_treatmentsession_practitioner_id_bb95ea1b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_treatmentsession_practitioner_id_bb95ea1b ON public.treatments_treatmentsession USING btree (practitioner_id);


--
-- Name: treatments_zonetreatment_override_by_id_a85b2253; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_zonetreatment_override_by_id_a85b2253 ON public.treatments_zonetreatment USING btree (override_by_id);


--
-- Name: treatments_zonetreatment_session_id_a3437349; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX treatments_zonetreatment_session_id_a3437349 ON public.treatments_zonetreatment USING btree (session_id);


--
-- Name: webhook_log; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_log ON public.webhooks_webhookdelivery USING btree (subscription_id, created_at DESC);


--
-- Name: webhooks_waiting_by_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhooks_waiting_by_time ON public.webhooks_webhookdelivery USING btree (next_attempt_at) WHERE ((status)::text = 'pending'::text);


--
-- Name: webhooks_webhookattempt_delivery_id_c57db657; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhooks_webhookattempt_delivery_id_c57db657 ON public.webhooks_webhookattempt USING btree (delivery_id);


--
-- Name: webhooks_webhookdelivery_subscription_id_52338ede; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhooks_webhookdelivery_subscription_id_52338ede ON public.webhooks_webhookdelivery USING btree (subscription_id);


--
-- Name: webhooks_webhooksubscription_organisation_id_0d4bb890; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhooks_webhooksubscription_organisation_id_0d4bb890 ON public.webhooks_webhooksubscription USING btree (organisation_id);


--
-- Name: audit_auditevent audit_auditevent_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_auditevent_append_only BEFORE DELETE OR UPDATE ON public.audit_auditevent FOR EACH ROW EXECUTE FUNCTION public.audit_refuse_change();


--
-- Name: clinics_closure clinics_closure_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clinics_closure_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.clinics_closure FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: clinics_device clinics_device_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clinics_device_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.clinics_device FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: clinics_openinghours clinics_openinghours_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clinics_openinghours_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.clinics_openinghours FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: clinics_organisation clinics_organisation_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clinics_organisation_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.clinics_organisation FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: clinics_room clinics_room_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clinics_room_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.clinics_room FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: clinics_staffmember_locations clinics_staffmember_locations_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clinics_staffmember_locations_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.clinics_staffmember_locations FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: clinics_staffmember clinics_staffmember_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clinics_staffmember_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.clinics_staffmember FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: consents_consentformversion consents_consentformversion_never_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consents_consentformversion_never_change BEFORE DELETE OR UPDATE ON public.consents_consentformversion FOR EACH ROW EXECUTE FUNCTION public.consents_refuse_change();


--
-- Name: consents_signedconsent consents_signedconsent_never_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER consents_signedconsent_never_change BEFORE DELETE OR UPDATE ON public.consents_signedconsent FOR EACH ROW EXECUTE FUNCTION public.consents_refuse_change();


--
-- Name: scheduling_service_practitioners scheduling_service_practitioners_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER scheduling_service_practitioners_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.scheduling_service_practitioners FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: scheduling_shiftexception scheduling_shiftexception_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER scheduling_shiftexception_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.scheduling_shiftexception FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: scheduling_timeoff scheduling_timeoff_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER scheduling_timeoff_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.scheduling_timeoff FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: scheduling_workingperiod scheduling_workingperiod_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER scheduling_workingperiod_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.scheduling_workingperiod FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: treatments_cartridge treatments_cartridge_single_use; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER treatments_cartridge_single_use BEFORE UPDATE ON public.treatments_cartridge FOR EACH ROW EXECUTE FUNCTION public.treatments_cartridge_single_use();


--
-- Name: treatments_countersignature treatments_countersignature_never_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER treatments_countersignature_never_change BEFORE DELETE OR UPDATE ON public.treatments_countersignature FOR EACH ROW EXECUTE FUNCTION public.treatments_refuse_change();


--
-- Name: treatments_outcome treatments_outcome_never_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER treatments_outcome_never_change BEFORE DELETE OR UPDATE ON public.treatments_outcome FOR EACH ROW EXECUTE FUNCTION public.treatments_refuse_change();


--
-- Name: treatments_photo treatments_photo_locked; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER treatments_photo_locked BEFORE INSERT OR DELETE OR UPDATE ON public.treatments_photo FOR EACH ROW EXECUTE FUNCTION public.treatments_refuse_locked_child();


--
-- Name: treatments_sessionaddendum treatments_sessionaddendum_never_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER treatments_sessionaddendum_never_change BEFORE DELETE OR UPDATE ON public.treatments_sessionaddendum FOR EACH ROW EXECUTE FUNCTION public.treatments_refuse_change();


--
-- Name: treatments_treatmentsession treatments_treatmentsession_locked; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER treatments_treatmentsession_locked BEFORE DELETE OR UPDATE ON public.treatments_treatmentsession FOR EACH ROW EXECUTE FUNCTION public.treatments_refuse_locked_session();


--
-- Name: treatments_zonetreatment treatments_zonetreatment_locked; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER treatments_zonetreatment_locked BEFORE INSERT OR DELETE OR UPDATE ON public.treatments_zonetreatment FOR EACH ROW EXECUTE FUNCTION public.treatments_refuse_locked_child();


--
-- Name: webhooks_webhooksubscription webhooks_webhooksubscription_setup_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER webhooks_webhooksubscription_setup_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.webhooks_webhooksubscription FOR EACH STATEMENT EXECUTE FUNCTION public.scheduling_setup_changed();


--
-- Name: accounts_user_groups accounts_user_groups_group_id_bd11a704_fk_auth_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_groups
    ADD CONSTRAINT accounts_user_groups_group_id_bd11a704_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES public.auth_group(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: accounts_user_groups accounts_user_groups_user_id_52b62117_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_groups
    ADD CONSTRAINT accounts_user_groups_user_id_52b62117_fk_accounts_user_id FOREIGN KEY (user_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: accounts_user_user_permissions accounts_user_user_p_permission_id_113bb443_fk_auth_perm; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_user_permissions
    ADD CONSTRAINT accounts_user_user_p_permission_id_113bb443_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES public.auth_permission(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: accounts_user_user_permissions accounts_user_user_p_user_id_e4f0a161_fk_accounts_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts_user_user_permissions
    ADD CONSTRAINT accounts_user_user_p_user_id_e4f0a161_fk_accounts_ FOREIGN KEY (user_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: api_apitoken api_apitoken_user_id_9cffaf33_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_apitoken
    ADD CONSTRAINT api_apitoken_user_id_9cffaf33_fk_accounts_user_id FOREIGN KEY (user_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: api_idempotencykey api_idempotencykey_organisation_id_203e2ad6_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_idempotencykey
    ADD CONSTRAINT api_idempotencykey_organisation_id_203e2ad6_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: api_idempotencykey api_idempotencykey_token_id_156488ec_fk_api_apitoken_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_idempotencykey
    ADD CONSTRAINT api_idempotencykey_token_id_156488ec_fk_api_apitoken_id FOREIGN KEY (token_id) REFERENCES public.api_apitoken(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_group_permissions auth_group_permissio_permission_id_84c5c92e_fk_auth_perm; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissio_permission_id_84c5c92e_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES public.auth_permission(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_group_permissions auth_group_permissions_group_id_b120cbf9_fk_auth_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_group_id_b120cbf9_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES public.auth_group(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_permission auth_permission_content_type_id_2f476e4b_fk_django_co; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_permission
    ADD CONSTRAINT auth_permission_content_type_id_2f476e4b_fk_django_co FOREIGN KEY (content_type_id) REFERENCES public.django_content_type(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: axes_accessattemptexpiration axes_accessattemptex_access_attempt_id_6b73a47a_fk_axes_acce; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.axes_accessattemptexpiration
    ADD CONSTRAINT axes_accessattemptex_access_attempt_id_6b73a47a_fk_axes_acce FOREIGN KEY (access_attempt_id) REFERENCES public.axes_accessattempt(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_client clients_client_home_location_id_93d5c056_fk_clinics_location_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_client
    ADD CONSTRAINT clients_client_home_location_id_93d5c056_fk_clinics_location_id FOREIGN KEY (home_location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_client clients_client_organisation_id_641b9f26_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_client
    ADD CONSTRAINT clients_client_organisation_id_641b9f26_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_marketingconsent clients_marketingcon_client_id_e1fdac34_fk_clients_c; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_marketingconsent
    ADD CONSTRAINT clients_marketingcon_client_id_e1fdac34_fk_clients_c FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_marketingconsent clients_marketingcon_organisation_id_c563cdf3_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_marketingconsent
    ADD CONSTRAINT clients_marketingcon_organisation_id_c563cdf3_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_questionnairesubmission clients_questionnair_client_id_ba3d2886_fk_clients_c; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_questionnairesubmission
    ADD CONSTRAINT clients_questionnair_client_id_ba3d2886_fk_clients_c FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_questionnairesubmission clients_questionnair_submitted_by_id_a7254d61_fk_accounts_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_questionnairesubmission
    ADD CONSTRAINT clients_questionnair_submitted_by_id_a7254d61_fk_accounts_ FOREIGN KEY (submitted_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_screening clients_screening_client_id_768520df_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_screening
    ADD CONSTRAINT clients_screening_client_id_768520df_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_screening clients_screening_screened_by_id_22360d7f_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_screening
    ADD CONSTRAINT clients_screening_screened_by_id_22360d7f_fk_accounts_user_id FOREIGN KEY (screened_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clients_screening clients_screening_submission_id_d8dccba0_fk_clients_q; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clients_screening
    ADD CONSTRAINT clients_screening_submission_id_d8dccba0_fk_clients_q FOREIGN KEY (submission_id) REFERENCES public.clients_questionnairesubmission(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_closure clinics_closure_location_id_edf5f3f4_fk_clinics_location_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_closure
    ADD CONSTRAINT clinics_closure_location_id_edf5f3f4_fk_clinics_location_id FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_device clinics_device_location_id_2c40ac26_fk_clinics_location_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_device
    ADD CONSTRAINT clinics_device_location_id_2c40ac26_fk_clinics_location_id FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_device_needle_configurations clinics_device_needl_device_id_c760f20e_fk_clinics_d; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_device_needle_configurations
    ADD CONSTRAINT clinics_device_needl_device_id_c760f20e_fk_clinics_d FOREIGN KEY (device_id) REFERENCES public.clinics_device(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_device_needle_configurations clinics_device_needl_needleconfiguration__a4c72738_fk_clinics_n; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_device_needle_configurations
    ADD CONSTRAINT clinics_device_needl_needleconfiguration__a4c72738_fk_clinics_n FOREIGN KEY (needleconfiguration_id) REFERENCES public.clinics_needleconfiguration(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_location clinics_location_organisation_id_0276fd98_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_location
    ADD CONSTRAINT clinics_location_organisation_id_0276fd98_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_needleconfiguration clinics_needleconfig_organisation_id_c39845f7_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_needleconfiguration
    ADD CONSTRAINT clinics_needleconfig_organisation_id_c39845f7_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_openinghours clinics_openinghours_location_id_2632f78f_fk_clinics_l; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_openinghours
    ADD CONSTRAINT clinics_openinghours_location_id_2632f78f_fk_clinics_l FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_room clinics_room_location_id_13e54c63_fk_clinics_location_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_room
    ADD CONSTRAINT clinics_room_location_id_13e54c63_fk_clinics_location_id FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_staffmember_locations clinics_staffmember__location_id_159e0a98_fk_clinics_l; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember_locations
    ADD CONSTRAINT clinics_staffmember__location_id_159e0a98_fk_clinics_l FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_staffmember_locations clinics_staffmember__staffmember_id_23a1e9c2_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember_locations
    ADD CONSTRAINT clinics_staffmember__staffmember_id_23a1e9c2_fk_clinics_s FOREIGN KEY (staffmember_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_staffmember clinics_staffmember_organisation_id_a6b70f60_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember
    ADD CONSTRAINT clinics_staffmember_organisation_id_a6b70f60_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: clinics_staffmember clinics_staffmember_user_id_03834124_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clinics_staffmember
    ADD CONSTRAINT clinics_staffmember_user_id_03834124_fk_accounts_user_id FOREIGN KEY (user_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: consents_consentform_services consents_consentform_consentform_id_16ea97ab_fk_consents_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentform_services
    ADD CONSTRAINT consents_consentform_consentform_id_16ea97ab_fk_consents_ FOREIGN KEY (consentform_id) REFERENCES public.consents_consentform(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: consents_consentformversion consents_consentform_form_id_c015032e_fk_consents_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentformversion
    ADD CONSTRAINT consents_consentform_form_id_c015032e_fk_consents_ FOREIGN KEY (form_id) REFERENCES public.consents_consentform(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: consents_consentform consents_consentform_organisation_id_93fcb8bb_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentform
    ADD CONSTRAINT consents_consentform_organisation_id_93fcb8bb_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: consents_consentform_services consents_consentform_service_id_ff7648eb_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_consentform_services
    ADD CONSTRAINT consents_consentform_service_id_ff7648eb_fk_schedulin FOREIGN KEY (service_id) REFERENCES public.scheduling_service(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: consents_signedconsent consents_signedconse_form_version_id_2e7d5d4d_fk_consents_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_signedconsent
    ADD CONSTRAINT consents_signedconse_form_version_id_2e7d5d4d_fk_consents_ FOREIGN KEY (form_version_id) REFERENCES public.consents_consentformversion(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: consents_signedconsent consents_signedconsent_client_id_34486e4c_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents_signedconsent
    ADD CONSTRAINT consents_signedconsent_client_id_34486e4c_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: django_admin_log django_admin_log_content_type_id_c4bce8eb_fk_django_co; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_admin_log
    ADD CONSTRAINT django_admin_log_content_type_id_c4bce8eb_fk_django_co FOREIGN KEY (content_type_id) REFERENCES public.django_content_type(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: django_admin_log django_admin_log_user_id_c564eba6_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_admin_log
    ADD CONSTRAINT django_admin_log_user_id_c564eba6_fk_accounts_user_id FOREIGN KEY (user_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: imports_externalclientid imports_externalclie_client_id_35182b29_fk_clients_c; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_externalclientid
    ADD CONSTRAINT imports_externalclie_client_id_35182b29_fk_clients_c FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: imports_externalclientid imports_externalclie_organisation_id_7262e55b_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_externalclientid
    ADD CONSTRAINT imports_externalclie_organisation_id_7262e55b_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: imports_importedbooking imports_importedbook_booking_id_97207bfb_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_importedbooking
    ADD CONSTRAINT imports_importedbook_booking_id_97207bfb_fk_schedulin FOREIGN KEY (booking_id) REFERENCES public.scheduling_booking(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: imports_importedbooking imports_importedbook_organisation_id_5862cf71_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imports_importedbooking
    ADD CONSTRAINT imports_importedbook_organisation_id_5862cf71_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: notifications_calendarfeed notifications_calend_staff_id_0deb7dcf_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_calendarfeed
    ADD CONSTRAINT notifications_calend_staff_id_0deb7dcf_fk_clinics_s FOREIGN KEY (staff_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: notifications_campaign notifications_campai_created_by_id_b15fb582_fk_accounts_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_campaign
    ADD CONSTRAINT notifications_campai_created_by_id_b15fb582_fk_accounts_ FOREIGN KEY (created_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: notifications_campaign notifications_campai_organisation_id_8c61da0c_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_campaign
    ADD CONSTRAINT notifications_campai_organisation_id_8c61da0c_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: notifications_messagewording notifications_messag_organisation_id_c7f077b6_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_messagewording
    ADD CONSTRAINT notifications_messag_organisation_id_c7f077b6_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: notifications_message notifications_messag_organisation_id_e19589c4_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_message
    ADD CONSTRAINT notifications_messag_organisation_id_e19589c4_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: notifications_message notifications_message_client_id_68e232a0_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications_message
    ADD CONSTRAINT notifications_message_client_id_68e232a0_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: otp_static_staticdevice otp_static_staticdevice_user_id_7f9cff2b_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_static_staticdevice
    ADD CONSTRAINT otp_static_staticdevice_user_id_7f9cff2b_fk_accounts_user_id FOREIGN KEY (user_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: otp_static_statictoken otp_static_statictok_device_id_74b7c7d1_fk_otp_stati; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_static_statictoken
    ADD CONSTRAINT otp_static_statictok_device_id_74b7c7d1_fk_otp_stati FOREIGN KEY (device_id) REFERENCES public.otp_static_staticdevice(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: otp_totp_totpdevice otp_totp_totpdevice_user_id_0fb18292_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_totp_totpdevice
    ADD CONSTRAINT otp_totp_totpdevice_user_id_0fb18292_fk_accounts_user_id FOREIGN KEY (user_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: public_onlinerequest public_onlinerequest_client_id_1087591a_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.public_onlinerequest
    ADD CONSTRAINT public_onlinerequest_client_id_1087591a_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: public_onlinerequest public_onlinerequest_screening_id_a19195cd_fk_clients_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.public_onlinerequest
    ADD CONSTRAINT public_onlinerequest_screening_id_a19195cd_fk_clients_s FOREIGN KEY (screening_id) REFERENCES public.clients_screening(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: public_onlinerequest public_onlinerequest_service_id_7f1a9e2d_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.public_onlinerequest
    ADD CONSTRAINT public_onlinerequest_service_id_7f1a9e2d_fk_schedulin FOREIGN KEY (service_id) REFERENCES public.scheduling_service(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: public_portallink public_portallink_client_id_ac61f04b_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.public_portallink
    ADD CONSTRAINT public_portallink_client_id_ac61f04b_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_client_id_bfd9941f_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_client_id_bfd9941f_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_course_id_1b70d702_fk_scheduling_course_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_course_id_1b70d702_fk_scheduling_course_id FOREIGN KEY (course_id) REFERENCES public.scheduling_course(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_created_by_id_9916aa7c_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_created_by_id_9916aa7c_fk_accounts_user_id FOREIGN KEY (created_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_device_id_0946b48d_fk_clinics_device_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_device_id_0946b48d_fk_clinics_device_id FOREIGN KEY (device_id) REFERENCES public.clinics_device(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_location_id_60e8683b_fk_clinics_location_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_location_id_60e8683b_fk_clinics_location_id FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_practitioner_id_8194f3f3_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_practitioner_id_8194f3f3_fk_clinics_s FOREIGN KEY (practitioner_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_room_id_e39a1c06_fk_clinics_room_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_room_id_e39a1c06_fk_clinics_room_id FOREIGN KEY (room_id) REFERENCES public.clinics_room(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_booking scheduling_booking_service_id_951475cc_fk_scheduling_service_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_booking
    ADD CONSTRAINT scheduling_booking_service_id_951475cc_fk_scheduling_service_id FOREIGN KEY (service_id) REFERENCES public.scheduling_service(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_bookingevent scheduling_bookingev_booking_id_e977319e_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_bookingevent
    ADD CONSTRAINT scheduling_bookingev_booking_id_e977319e_fk_schedulin FOREIGN KEY (booking_id) REFERENCES public.scheduling_booking(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_bookingevent scheduling_bookingevent_by_id_734858c6_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_bookingevent
    ADD CONSTRAINT scheduling_bookingevent_by_id_734858c6_fk_accounts_user_id FOREIGN KEY (by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_course scheduling_course_client_id_3e4fa335_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_course
    ADD CONSTRAINT scheduling_course_client_id_3e4fa335_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_course scheduling_course_created_by_id_2498bb13_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_course
    ADD CONSTRAINT scheduling_course_created_by_id_2498bb13_fk_accounts_user_id FOREIGN KEY (created_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_course scheduling_course_service_id_88f95eda_fk_scheduling_service_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_course
    ADD CONSTRAINT scheduling_course_service_id_88f95eda_fk_scheduling_service_id FOREIGN KEY (service_id) REFERENCES public.scheduling_service(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_hold scheduling_hold_booking_id_4d4964c9_fk_scheduling_booking_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_hold
    ADD CONSTRAINT scheduling_hold_booking_id_4d4964c9_fk_scheduling_booking_id FOREIGN KEY (booking_id) REFERENCES public.scheduling_booking(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_service scheduling_service_location_id_c2898485_fk_clinics_location_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_service
    ADD CONSTRAINT scheduling_service_location_id_c2898485_fk_clinics_location_id FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_service_practitioners scheduling_service_p_service_id_6c0494fa_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_service_practitioners
    ADD CONSTRAINT scheduling_service_p_service_id_6c0494fa_fk_schedulin FOREIGN KEY (service_id) REFERENCES public.scheduling_service(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_service_practitioners scheduling_service_p_staffmember_id_7b5af2a5_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_service_practitioners
    ADD CONSTRAINT scheduling_service_p_staffmember_id_7b5af2a5_fk_clinics_s FOREIGN KEY (staffmember_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_shiftexception scheduling_shiftexce_location_id_abf863c3_fk_clinics_l; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_shiftexception
    ADD CONSTRAINT scheduling_shiftexce_location_id_abf863c3_fk_clinics_l FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_shiftexception scheduling_shiftexce_staff_id_1112f5c6_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_shiftexception
    ADD CONSTRAINT scheduling_shiftexce_staff_id_1112f5c6_fk_clinics_s FOREIGN KEY (staff_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_timeoff scheduling_timeoff_staff_id_edad787a_fk_clinics_staffmember_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_timeoff
    ADD CONSTRAINT scheduling_timeoff_staff_id_edad787a_fk_clinics_staffmember_id FOREIGN KEY (staff_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_waitlistentry scheduling_waitliste_client_id_4f139738_fk_clients_c; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_waitlistentry
    ADD CONSTRAINT scheduling_waitliste_client_id_4f139738_fk_clients_c FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_waitlistentry scheduling_waitliste_service_id_88b10565_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_waitlistentry
    ADD CONSTRAINT scheduling_waitliste_service_id_88b10565_fk_schedulin FOREIGN KEY (service_id) REFERENCES public.scheduling_service(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_waitlistoffer scheduling_waitlisto_booking_id_a1ca9beb_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_waitlistoffer
    ADD CONSTRAINT scheduling_waitlisto_booking_id_a1ca9beb_fk_schedulin FOREIGN KEY (booking_id) REFERENCES public.scheduling_booking(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_waitlistoffer scheduling_waitlisto_entry_id_88f38f54_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_waitlistoffer
    ADD CONSTRAINT scheduling_waitlisto_entry_id_88f38f54_fk_schedulin FOREIGN KEY (entry_id) REFERENCES public.scheduling_waitlistentry(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_waitlistoffer scheduling_waitlisto_practitioner_id_9cee537b_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_waitlistoffer
    ADD CONSTRAINT scheduling_waitlisto_practitioner_id_9cee537b_fk_clinics_s FOREIGN KEY (practitioner_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_workingperiod scheduling_workingpe_location_id_889b08ba_fk_clinics_l; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_workingperiod
    ADD CONSTRAINT scheduling_workingpe_location_id_889b08ba_fk_clinics_l FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: scheduling_workingperiod scheduling_workingpe_staff_id_0ec864f5_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scheduling_workingperiod
    ADD CONSTRAINT scheduling_workingpe_staff_id_0ec864f5_fk_clinics_s FOREIGN KEY (staff_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_adverseevent treatments_adverseev_recorded_by_id_3ae3fdbb_fk_accounts_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_adverseevent
    ADD CONSTRAINT treatments_adverseev_recorded_by_id_3ae3fdbb_fk_accounts_ FOREIGN KEY (recorded_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_adverseevent treatments_adverseev_session_id_ddd32e86_fk_treatment; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_adverseevent
    ADD CONSTRAINT treatments_adverseev_session_id_ddd32e86_fk_treatment FOREIGN KEY (session_id) REFERENCES public.treatments_treatmentsession(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_adverseevent treatments_adverseevent_client_id_ce58f6b2_fk_clients_client_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_adverseevent
    ADD CONSTRAINT treatments_adverseevent_client_id_ce58f6b2_fk_clients_client_id FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_cartridge treatments_cartridge_configuration_id_01dd52be_fk_clinics_n; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_cartridge
    ADD CONSTRAINT treatments_cartridge_configuration_id_01dd52be_fk_clinics_n FOREIGN KEY (configuration_id) REFERENCES public.clinics_needleconfiguration(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_cartridge treatments_cartridge_organisation_id_8370b2a6_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_cartridge
    ADD CONSTRAINT treatments_cartridge_organisation_id_8370b2a6_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_cartridge treatments_cartridge_session_id_ebf462f2_fk_treatment; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_cartridge
    ADD CONSTRAINT treatments_cartridge_session_id_ebf462f2_fk_treatment FOREIGN KEY (session_id) REFERENCES public.treatments_treatmentsession(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_countersignature treatments_countersi_session_id_21ec45ce_fk_treatment; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_countersignature
    ADD CONSTRAINT treatments_countersi_session_id_21ec45ce_fk_treatment FOREIGN KEY (session_id) REFERENCES public.treatments_treatmentsession(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_countersignature treatments_countersignature_by_id_1aacc0cd_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_countersignature
    ADD CONSTRAINT treatments_countersignature_by_id_1aacc0cd_fk_accounts_user_id FOREIGN KEY (by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_outcome treatments_outcome_recorded_by_id_5defc3ca_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_outcome
    ADD CONSTRAINT treatments_outcome_recorded_by_id_5defc3ca_fk_accounts_user_id FOREIGN KEY (recorded_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_outcome treatments_outcome_session_id_4a9d19e9_fk_treatment; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_outcome
    ADD CONSTRAINT treatments_outcome_session_id_4a9d19e9_fk_treatment FOREIGN KEY (session_id) REFERENCES public.treatments_treatmentsession(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_photo treatments_photo_session_id_d372839e_fk_treatment; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_photo
    ADD CONSTRAINT treatments_photo_session_id_d372839e_fk_treatment FOREIGN KEY (session_id) REFERENCES public.treatments_treatmentsession(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_photo treatments_photo_uploaded_by_id_c1842b00_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_photo
    ADD CONSTRAINT treatments_photo_uploaded_by_id_c1842b00_fk_accounts_user_id FOREIGN KEY (uploaded_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_sessionaddendum treatments_sessionad_session_id_400888aa_fk_treatment; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_sessionaddendum
    ADD CONSTRAINT treatments_sessionad_session_id_400888aa_fk_treatment FOREIGN KEY (session_id) REFERENCES public.treatments_treatmentsession(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_sessionaddendum treatments_sessionaddendum_by_id_5b5ba158_fk_accounts_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_sessionaddendum
    ADD CONSTRAINT treatments_sessionaddendum_by_id_5b5ba158_fk_accounts_user_id FOREIGN KEY (by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_treatmentsession treatments_treatment_booking_id_4c08c793_fk_schedulin; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatment_booking_id_4c08c793_fk_schedulin FOREIGN KEY (booking_id) REFERENCES public.scheduling_booking(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_treatmentsession treatments_treatment_client_id_7adab39c_fk_clients_c; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatment_client_id_7adab39c_fk_clients_c FOREIGN KEY (client_id) REFERENCES public.clients_client(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_treatmentsession treatments_treatment_completed_by_id_3f48cedb_fk_accounts_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatment_completed_by_id_3f48cedb_fk_accounts_ FOREIGN KEY (completed_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_treatmentsession treatments_treatment_device_id_bcba829b_fk_clinics_d; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatment_device_id_bcba829b_fk_clinics_d FOREIGN KEY (device_id) REFERENCES public.clinics_device(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_treatmentsession treatments_treatment_location_id_94594bea_fk_clinics_l; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatment_location_id_94594bea_fk_clinics_l FOREIGN KEY (location_id) REFERENCES public.clinics_location(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_treatmentsession treatments_treatment_practitioner_id_bb95ea1b_fk_clinics_s; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_treatmentsession
    ADD CONSTRAINT treatments_treatment_practitioner_id_bb95ea1b_fk_clinics_s FOREIGN KEY (practitioner_id) REFERENCES public.clinics_staffmember(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_zonetreatment treatments_zonetreat_override_by_id_a85b2253_fk_accounts_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_zonetreatment
    ADD CONSTRAINT treatments_zonetreat_override_by_id_a85b2253_fk_accounts_ FOREIGN KEY (override_by_id) REFERENCES public.accounts_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: treatments_zonetreatment treatments_zonetreat_session_id_a3437349_fk_treatment; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.treatments_zonetreatment
    ADD CONSTRAINT treatments_zonetreat_session_id_a3437349_fk_treatment FOREIGN KEY (session_id) REFERENCES public.treatments_treatmentsession(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: webhooks_webhookattempt webhooks_webhookatte_delivery_id_c57db657_fk_webhooks_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks_webhookattempt
    ADD CONSTRAINT webhooks_webhookatte_delivery_id_c57db657_fk_webhooks_ FOREIGN KEY (delivery_id) REFERENCES public.webhooks_webhookdelivery(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: webhooks_webhookdelivery webhooks_webhookdeli_subscription_id_52338ede_fk_webhooks_; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks_webhookdelivery
    ADD CONSTRAINT webhooks_webhookdeli_subscription_id_52338ede_fk_webhooks_ FOREIGN KEY (subscription_id) REFERENCES public.webhooks_webhooksubscription(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: webhooks_webhooksubscription webhooks_webhooksubs_organisation_id_0d4bb890_fk_clinics_o; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks_webhooksubscription
    ADD CONSTRAINT webhooks_webhooksubs_organisation_id_0d4bb890_fk_clinics_o FOREIGN KEY (organisation_id) REFERENCES public.clinics_organisation(id) DEFERRABLE INITIALLY DEFERRED;


--
-- PostgreSQL database dump complete
--


